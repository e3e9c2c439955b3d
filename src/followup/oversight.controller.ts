import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, CurrentActor } from '../auth/access.decorator';
import { roleMay } from '../auth/domain/roles';
import { CasesService } from '../cases/cases.service';
import { CASE_STATUS_LABELS } from '../cases/domain/case-lifecycle';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { displayInZone, monthInZone } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { writeSheet } from '../pool/spreadsheet';
import { FormView } from '../web/form-view.interceptor';
import { IdPipe } from '../web/id.pipe';
import { layoutLocals } from '../web/layout-locals';
import { noticeFrom } from '../web/notice';
import { TianpingRequest } from '../web/request';
import { ClosingService, LINK_KINDS, OUTCOME_LABELS, SATISFACTION_LABELS } from './closing.service';
import { WARNING_LABELS, WarningLevel } from './domain/warning-level';
import { CaseLinkDto, ReturnVisitDto } from './dto/follow-up.dto';
import { ReportsService } from './reports.service';
import { TasksService } from './tasks.service';

const NOTICES = { visited: '回访已记录，案件已结案。', linked: '已关联复查/复核案件。', generated: '报告已生成。' };

/** Closing cases, the dashboard, the hall display, monthly reports and list exports. */
@ApiExcludeController()
@Controller()
export class OversightController {
  constructor(
    private readonly closing: ClosingService,
    private readonly cases: CasesService,
    private readonly tasks: TasksService,
    private readonly reports: ReportsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Get('cases/:id/closing')
  @Access('followup.read')
  @Render('followup/closing.hbs')
  async closingPage(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest, @Query('notice') notice?: string) {
    return this.closingModel(req, id, notice);
  }

  async closingModel(req: TianpingRequest, id = Number(req.params.id), notice?: string) {
    const kase = await this.cases.get(id);
    return {
      ...layoutLocals(req), title: '回访结案', kase, statusLabel: CASE_STATUS_LABELS[kase.status], ...(await this.closing.view(id)),
      canWrite: roleMay(req.auth!.user.role, 'followup.manage'), mayVisit: kase.status === 'resolved' || kase.status === 'follow_up',
      satisfactions: Object.entries(SATISFACTION_LABELS).map(([value, label]) => ({ value, label })),
      outcomes: Object.entries(OUTCOME_LABELS).map(([value, label]) => ({ value, label })),
      linkKinds: Object.entries(LINK_KINDS).map(([value, label]) => ({ value, label })),
      notice: noticeFrom(NOTICES, notice ?? (req.query.notice as string | undefined)),
    };
  }

  @Post('cases/:id/return-visit')
  @Access('followup.manage')
  @FormView('followup/closing.hbs', { title: '回访结案', model: 'closingModel' })
  async returnVisit(@Param('id', IdPipe) id: number, @Body() dto: ReturnVisitDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.closing.returnVisit(id, dto, actor);
    res.redirect(303, `/cases/${id}/closing?notice=visited`);
  }

  @Post('cases/:id/links')
  @Access('followup.manage')
  @FormView('followup/closing.hbs', { title: '回访结案', model: 'closingModel' })
  async link(@Param('id', IdPipe) id: number, @Body() dto: CaseLinkDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.closing.link(id, dto, actor);
    res.redirect(303, `/cases/${id}/closing?notice=linked`);
  }

  @Get('dashboard')
  @Access('followup.read')
  @Render('followup/dashboard.hbs')
  async dashboard(@Req() req: TianpingRequest) {
    const month = this.thisMonth();
    const f = await this.reports.figures(month);
    return { ...layoutLocals(req), title: '统计分析', month, f };
  }

  @Get('display')
  @Access('followup.read')
  @Render('followup/display.hbs')
  async display(@Req() req: TianpingRequest) {
    const all = await this.tasks.list();
    return {
      ...layoutLocals(req), title: '督办大屏', layout: false, now: displayInZone(this.clock.now(), this.config.APP_TIMEZONE),
      red: all.filter((t) => t.level === 'red'), yellow: all.filter((t) => t.level === 'yellow'), blue: all.filter((t) => t.level === 'blue'),
    };
  }

  @Get('reports')
  @Access('followup.read')
  @Render('followup/reports.hbs')
  async reportsPage(@Req() req: TianpingRequest, @Query('notice') notice?: string) {
    return { ...(await this.reportsModel(req)), notice: noticeFrom(NOTICES, notice) };
  }

  async reportsModel(req: TianpingRequest) {
    // Each report is the month's figures as of when it was made; where a month has several, the
    // newest (listed first) is marked as the one that counts.
    const reports = await this.reports.list();
    const mark = (r: (typeof reports)[number], i: number) => {
      if (reports.filter((o) => o.month === r.month).length < 2) return '';
      return reports.findIndex((o) => o.month === r.month) === i ? '最新' : '较早生成';
    };
    return {
      ...layoutLocals(req), title: '月度分析报告', thisMonth: this.thisMonth(), canWrite: roleMay(req.auth!.user.role, 'followup.manage'),
      reports: reports.map((r, i) => ({ ...r, mark: mark(r, i) })),
    };
  }

  @Post('reports')
  @Access('followup.manage')
  @FormView('followup/reports.hbs', { title: '月度分析报告', model: 'reportsModel' })
  async generate(@Body('month') month: string, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.reports.generate(String(month ?? ''), actor);
    res.redirect(303, '/reports?notice=generated');
  }

  @Get('reports/:id/pdf')
  @Access('followup.read')
  async reportPdf(@Param('id', IdPipe) id: number, @Res() res: Response) {
    const { report, content } = await this.reports.file(id);
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${report.month}-分析报告.pdf`)}`);
    res.send(content);
  }

  @Get('follow-up/export.xlsx')
  @Access('followup.read')
  async exportTasks(@Res() res: Response, @Query('level') level?: string, @Query('department') department?: string) {
    // The same filters as the list on screen (the daily red list: ?level=red).
    const rows = (await this.tasks.list({ level: level || undefined })).filter((t) => !department || String(t.departmentId) === department);
    const at = (ms: number | null) => (ms ? displayInZone(new Date(ms), this.config.APP_TIMEZONE) : '');
    const xlsx = await writeSheet('督办任务', ['任务编号', '案件编号', '案件', '责任单位', '任务', '办结期限', '预警', '剩余', '状态', '办结时间'],
      rows.map((t) => [t.id, t.caseNumber, t.caseTitle, t.departmentName ?? '', t.description, at(t.dueAt), t.levelLabel, t.due, t.stateLabel, at(t.doneAt)]));
    const levelName = level ? WARNING_LABELS[level as WarningLevel] : undefined;
    const unit = department ? rows[0]?.departmentName : undefined;
    this.sendXlsx(res, `督办任务${levelName ? `（${levelName}）` : ''}${unit ? `（${unit}）` : ''}.xlsx`, xlsx);
  }

  @Get('reports/cases.xlsx')
  @Access('cases.read')
  async exportCases(@Res() res: Response) {
    const rows = await this.cases.exportRows();
    const xlsx = await writeSheet('案件', ['案件编号', '案件', '类别', '状态', '责任单位', '登记时间', '信访人'],
      rows.map((c) => [c.caseNumber, c.title, c.category, CASE_STATUS_LABELS[c.status], c.departments, displayInZone(new Date(c.registeredAt), this.config.APP_TIMEZONE), c.petitionerName]));
    this.sendXlsx(res, '案件列表.xlsx', xlsx);
  }

  private sendXlsx(res: Response, name: string, content: Buffer): void {
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
    res.send(content);
  }

  private thisMonth(): string {
    return monthInZone(this.clock.now(), this.config.APP_TIMEZONE);
  }
}
