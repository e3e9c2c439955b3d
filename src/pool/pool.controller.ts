import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, CurrentActor } from '../auth/access.decorator';
import { roleMay } from '../auth/domain/roles';
import { Actor } from '../common/actor';
import { CATALOG } from '../web/catalog';
import { FormView } from '../web/form-view.interceptor';
import { IdPipe } from '../web/id.pipe';
import { layoutLocals } from '../web/layout-locals';
import { noticeFrom } from '../web/notice';
import { pagination } from '../web/pagination';
import { TianpingRequest } from '../web/request';
import { EVALUATOR_STATUS_TRANSITIONS } from './domain/evaluator-status';
import { ChangeStatusDto, LookupDto, PoolQueryDto } from './dto/review.dto';
import { ImportService } from './import.service';
import { PoolService } from './pool.service';

const NOTICES: Record<string, string> = { status: '状态已变更。' };

/** Pages of the talent pool for the office (and, read-only, the auditor). */
@ApiExcludeController()
@Controller('pool')
export class PoolController {
  constructor(
    private readonly pool: PoolService,
    private readonly imports: ImportService,
  ) {}

  @Get()
  @Access('pool.read')
  @Render('pool/list.hbs')
  list(@Query() query: PoolQueryDto, @Req() req: TianpingRequest) {
    return this.listPage(req, query);
  }

  private async listPage(req: TianpingRequest, query: PoolQueryDto) {
    const { total, items } = await this.pool.search(query);
    return {
      ...layoutLocals(req),
      title: '评价员人才库',
      catalog: CATALOG,
      districts: await this.pool.districts(),
      filters: query,
      items,
      pagination: pagination(total, query.page, query.pageSize, { ...query }),
      canWrite: roleMay(req.auth!.user.role, 'pool.write'),
      canRevealExport: roleMay(req.auth!.user.role, 'pool.reveal'),
      // A number typed into the name search: point to the look-up made for it.
      numberInSearch: /^\d{6,17}[\dXx]?$/.test(query.q ?? ''),
    };
  }

  @Get('export.xlsx')
  @Access('pool.write')
  async export(@Query('full') full: string | undefined, @Req() req: TianpingRequest, @CurrentActor() actor: Actor, @Res() res: Response) {
    const wantFull = full === '1' && roleMay(req.auth!.user.role, 'pool.reveal');
    const file = await this.imports.export(actor, wantFull);
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(wantFull ? '评价员人才库（完整信息）.xlsx' : '评价员人才库（脱敏）.xlsx')}`);
    res.setHeader('Cache-Control', 'no-store');
    res.send(file);
  }

  @Post('lookup')
  @Access('pool.read')
  @FormView('pool/list.hbs', { title: '评价员人才库', keep: [], model: 'listModel' })
  async lookup(@Body() dto: LookupDto, @Res() res: Response) {
    const evaluator = await this.pool.lookup(dto.number);
    res.redirect(303, `/pool/evaluators/${evaluator.id}`);
  }

  /** For FormView: the first page of the list, when a look-up finds nobody. */
  async listModel(req: TianpingRequest) {
    return this.listPage(req, Object.assign(new PoolQueryDto(), { page: 1, pageSize: 20 }));
  }

  @Get('evaluators/:id')
  @Access('pool.read')
  @Render('pool/evaluator.hbs')
  async evaluator(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest, @Query('notice') notice?: string) {
    return { ...(await this.evaluatorModel(req, id)), notice: noticeFrom(NOTICES, notice) };
  }

  @Post('evaluators/:id/status')
  @Access('pool.write')
  @FormView('pool/evaluator.hbs', { title: '评价员详情', model: 'statusFormModel' })
  async changeStatus(@Param('id', IdPipe) id: number, @Body() dto: ChangeStatusDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.pool.changeStatus(id, dto, actor);
    res.redirect(303, `/pool/evaluators/${id}?notice=status`);
  }

  @Post('evaluators/:id/reveal')
  @Access('pool.reveal')
  @Render('pool/evaluator.hbs')
  async reveal(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Req() req: TianpingRequest, @Res({ passthrough: true }) res: Response) {
    const revealed = await this.pool.reveal(id, actor);
    // Personal data in full: never cached by the browser or a proxy.
    res.setHeader('Cache-Control', 'no-store');
    return { ...(await this.evaluatorModel(req, id)), revealed };
  }

  @Post('evaluators/:id/account')
  @Access('pool.write')
  @Render('pool/account-issued.hbs')
  async issueAccount(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Req() req: TianpingRequest, @Res({ passthrough: true }) res: Response) {
    const issued = await this.pool.issueAccount(id, actor);
    res.setHeader('Cache-Control', 'no-store');
    return { ...layoutLocals(req), title: '已创建登录账户', evaluatorId: id, ...issued };
  }

  /** For FormView: the page model when the status form is shown again. */
  async statusFormModel(req: TianpingRequest) {
    return this.evaluatorModel(req, Number(req.params.id));
  }

  private async evaluatorModel(req: TianpingRequest, id: number) {
    const detail = await this.pool.detail(id);
    const role = req.auth!.user.role;
    return {
      ...layoutLocals(req),
      title: `评价员：${detail.evaluator.name}`,
      ...detail,
      nextStatuses: CATALOG.statuses.filter((s) => EVALUATOR_STATUS_TRANSITIONS[detail.evaluator.status].includes(s.value)),
      canWrite: roleMay(role, 'pool.write'),
      canReveal: roleMay(role, 'pool.reveal'),
      hasAccount: await this.pool.hasAccount(id),
    };
  }
}
