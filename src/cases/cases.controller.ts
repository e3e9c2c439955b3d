import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, CurrentActor } from '../auth/access.decorator';
import { roleMay } from '../auth/domain/roles';
import { Actor } from '../common/actor';
import { DepartmentsService } from '../departments/departments.service';
import { DrawsService } from '../draws/draws.service';
import { PanelService } from '../draws/panel.service';
import { ScheduleMeetingDto } from '../evaluations/dto/evaluation.dto';
import { MeetingsService } from '../evaluations/meetings.service';
import { CATALOG } from '../web/catalog';
import { FormView } from '../web/form-view.interceptor';
import { IdPipe } from '../web/id.pipe';
import { layoutLocals } from '../web/layout-locals';
import { noticeFrom } from '../web/notice';
import { pagination } from '../web/pagination';
import { TianpingRequest } from '../web/request';
import { CasesService } from './cases.service';
import { CaseQueryDto, ExcludeEvaluatorDto, RegisterCaseDto } from './dto/register-case.dto';

const NOTICES: Record<string, string> = { registered: '案件已登记。', attached: '附件已上传。', excluded: '已记录回避决定。' };

/** Case pages for the office (and, read-only, the auditor). */
@ApiExcludeController()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly departments: DepartmentsService,
    private readonly draws: DrawsService,
    private readonly panels: PanelService,
    private readonly meetings: MeetingsService,
  ) {}

  @Get()
  @Access('cases.read')
  @Render('cases/list.hbs')
  async list(@Query() query: CaseQueryDto, @Req() req: TianpingRequest) {
    const { total, items } = await this.cases.list(query);
    return {
      ...layoutLocals(req), title: '信访案件', items, filters: query, catalog: CATALOG,
      canWrite: roleMay(req.auth!.user.role, 'cases.write'),
      pagination: pagination(total, query.page, query.pageSize, { ...query }),
    };
  }

  @Get('new')
  @Access('cases.write')
  @Render('cases/new.hbs')
  async newPage(@Req() req: TianpingRequest) {
    return { ...(await this.formModel(req)), values: { caseNumber: await this.cases.nextCaseNumber(), history: [], departmentIds: [] } };
  }

  async formModel(req: TianpingRequest) {
    return { ...layoutLocals(req), title: '登记案件', catalog: CATALOG, departments: await this.departments.list(), historyRows: [0, 1, 2, 3, 4, 5] };
  }

  @Post()
  @Access('cases.write')
  @FormView('cases/new.hbs', { title: '登记案件', model: 'formModel' })
  async register(@Body() dto: RegisterCaseDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    const kase = await this.cases.register(dto, actor);
    res.redirect(303, `/cases/${kase.id}?notice=registered`);
  }

  @Get(':id')
  @Access('cases.read')
  @Render('cases/detail.hbs')
  async detail(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest, @Query('notice') notice?: string) {
    return { ...(await this.detailModel(req, id)), notice: noticeFrom(NOTICES, notice) };
  }

  async detailModel(req: TianpingRequest, id = Number(req.params.id)) {
    const detail = await this.cases.detail(id);
    return {
      ...layoutLocals(req), title: `案件 ${detail.kase.caseNumber}`, ...detail, catalog: CATALOG,
      draws: await this.draws.listForCase(id),
      panel: await this.panels.panelOf(id, roleMay(req.auth!.user.role, 'cases.read')),
      meeting: await this.meetings.forCase(id),
      canRunMeeting: roleMay(req.auth!.user.role, 'meetings.run'),
      canWrite: roleMay(req.auth!.user.role, 'cases.write'),
      canDraw: roleMay(req.auth!.user.role, 'draws.run'),
      canOpenPool: roleMay(req.auth!.user.role, 'pool.read'),
    };
  }

  /** The meeting is scheduled from the case page, which comes back with the problems on a refusal. */
  @Post(':id/meeting')
  @Access('meetings.run')
  @FormView('cases/detail.hbs', { title: '案件', model: 'detailModel' })
  async scheduleMeeting(@Param('id', IdPipe) id: number, @Body() dto: ScheduleMeetingDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    const meeting = await this.meetings.schedule(id, dto, actor);
    res.redirect(303, `/meetings/${meeting.id}?notice=scheduled`);
  }

  @Post(':id/attachments')
  @Access('cases.write')
  @FormView('cases/detail.hbs', { title: '案件', model: 'detailModel', keep: [] })
  async attach(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.cases.addAttachment(id, req.file, actor);
    res.redirect(303, `/cases/${id}?notice=attached#attachments`);
  }

  @Get(':id/attachments/:attachmentId')
  @Access('cases.read')
  async download(@Param('id', IdPipe) id: number, @Param('attachmentId', IdPipe) attachmentId: number, @Res() res: Response) {
    const { attachment, content } = await this.cases.attachmentFile(id, attachmentId);
    res.setHeader('Content-Type', attachment.mimeType);
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(content);
  }

  @Post(':id/exclusions')
  @Access('cases.write')
  @FormView('cases/detail.hbs', { title: '案件', model: 'detailModel' })
  async exclude(@Param('id', IdPipe) id: number, @Body() dto: ExcludeEvaluatorDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.cases.exclude(id, dto, actor);
    res.redirect(303, `/cases/${id}?notice=excluded#exclusions`);
  }
}
