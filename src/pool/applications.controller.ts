import { Body, Controller, Get, HttpCode, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, CurrentActor } from '../auth/access.decorator';
import { roleMay } from '../auth/domain/roles';
import { Actor } from '../common/actor';
import { CATALOG } from '../web/catalog';
import { FormView } from '../web/form-view.interceptor';
import { IdPipe } from '../web/id.pipe';
import { layoutLocals } from '../web/layout-locals';
import { pagination } from '../web/pagination';
import { TianpingRequest } from '../web/request';
import { applicationView, ApplicationsService } from './applications.service';
import { ApplicationDto } from './dto/application.dto';
import { ApplicationQueryDto, RejectApplicationDto } from './dto/review.dto';

/** The public application form and the office's review pages. */
@ApiExcludeController()
@Controller()
export class ApplicationsController {
  constructor(private readonly applications: ApplicationsService) {}

  @Get('apply')
  @Access('public')
  @Render('pool/apply.hbs')
  applyPage(@Req() req: TianpingRequest) {
    return { ...layoutLocals(req), title: '申请加入评价员人才库', catalog: CATALOG, values: { expertise: [] } };
  }

  @Post('apply')
  @Access('public')
  @FormView('pool/apply.hbs', { title: '申请加入评价员人才库', model: 'applyFormModel' })
  async apply(@Body() dto: ApplicationDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.applications.submit(dto, actor);
    res.redirect(303, '/apply/done');
  }

  applyFormModel() {
    return { catalog: CATALOG };
  }

  @Get('apply/done')
  @Access('public')
  @Render('pool/apply-done.hbs')
  applyDone(@Req() req: TianpingRequest) {
    return { ...layoutLocals(req), title: '申请已提交' };
  }

  @Get('pool/applications')
  @Access('pool.read')
  @Render('pool/applications.hbs')
  async list(@Query() query: ApplicationQueryDto, @Req() req: TianpingRequest) {
    const status = query.status ?? 'pending';
    const { items, total } = await this.applications.list({ ...query, status });
    return {
      ...layoutLocals(req),
      title: '入库申请',
      status,
      tabs: [
        { value: 'pending', label: '待审核' },
        { value: 'approved', label: '已批准' },
        { value: 'rejected', label: '已驳回' },
      ],
      items,
      pagination: pagination(total, query.page, query.pageSize, { status, pageSize: query.pageSize }),
    };
  }

  @Get('pool/applications/:id')
  @Access('pool.read')
  @Render('pool/application.hbs')
  async detail(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest) {
    return this.detailModel(req, id);
  }

  @Post('pool/applications/:id/phone')
  @HttpCode(200)
  @Access('applications.review')
  @Render('pool/application.hbs')
  async revealPhone(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Req() req: TianpingRequest, @Res({ passthrough: true }) res: Response) {
    const phone = await this.applications.revealPhone(id, actor);
    res.setHeader('Cache-Control', 'no-store');
    return { ...(await this.detailModel(req, id)), revealedPhone: phone };
  }

  @Post('pool/applications/:id/approve')
  @Access('applications.review')
  @Render('pool/approved.hbs')
  async approve(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Req() req: TianpingRequest, @Res({ passthrough: true }) res: Response) {
    const result = await this.applications.approve(id, actor);
    // The one-time password is on this page only: keep it out of every cache.
    res.setHeader('Cache-Control', 'no-store');
    return { ...layoutLocals(req), title: '已批准入库', result: { ...result, application: applicationView(result.application) } };
  }

  @Post('pool/applications/:id/reject')
  @Access('applications.review')
  @FormView('pool/application.hbs', { title: '入库申请', model: 'rejectFormModel' })
  async reject(@Param('id', IdPipe) id: number, @Body() dto: RejectApplicationDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.applications.reject(id, dto.reason, actor);
    res.redirect(303, `/pool/applications/${id}`);
  }

  rejectFormModel(req: TianpingRequest) {
    return this.detailModel(req, Number(req.params.id));
  }

  private async detailModel(req: TianpingRequest, id: number) {
    const application = applicationView(await this.applications.get(id));
    return {
      ...layoutLocals(req),
      title: `入库申请：${application.name}`,
      application,
      canReview: application.status === 'pending' && roleMay(req.auth!.user.role, 'applications.review'),
    };
  }
}
