import { Body, Controller, Get, Param, Post, Query, Render, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Access, CurrentActor } from '../auth/access.decorator';
import { roleMay } from '../auth/domain/roles';
import { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { validatedAs } from '../common/validation';
import { FormView } from '../web/form-view.interceptor';
import { IdPipe } from '../web/id.pipe';
import { layoutLocals } from '../web/layout-locals';
import { noticeFrom } from '../web/notice';
import { TianpingRequest } from '../web/request';
import { CORE_VALUES, normalizeAnswers, STEPS, stepOf, VALUE_SCORES } from './domain/criteria';
import { MEASURE_LABELS, ROUTING_LABELS } from './domain/draft';
import { AmendSheetDto, CastVotesDto, CloseStepDto, SaveSheetDto } from './dto/evaluation.dto';
import { EvaluationsService } from './evaluations.service';

const NOTICES: Record<string, string> = {
  scheduled: '评价会议已安排，评价组成员已收到通知。', opened: '会议已开始，进入事实评价。', saved: '草稿已保存。', submitted: '评分已提交。现在可以查看其他成员的评分。',
  amended: '修改已提交，原版本仍保留。', edited: '决议草案已修改。', closed: '本步骤已结束。', drafted: '四个评价步骤已全部结束，系统已按评分表多数意见起草决议。', voting: '已发起表决。', voted: '您的表决已记录。', decided: '表决已结束。',
};

/** Meeting pages: large type, one step per page, for evaluators on a phone; the office's scheduling. */
@ApiExcludeController()
@Controller()
export class EvaluationsController {
  constructor(private readonly evaluations: EvaluationsService) {}

  @Get('meetings')
  @Access('meetings.take')
  @Render('evaluations/list.hbs')
  async list(@Req() req: TianpingRequest, @CurrentActor() actor: Actor) {
    return { ...layoutLocals(req), title: '我的评价会议', meetings: await this.evaluations.meetingsOf(actor.evaluatorId!) };
  }

  @Get('meetings/:id')
  @Access('meetings.read')
  @Render('evaluations/meeting.hbs')
  async meeting(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest, @Query('notice') notice?: string) {
    return { ...(await this.meetingModel(req, id)), notice: noticeFrom(NOTICES, notice) };
  }

  async meetingModel(req: TianpingRequest, id = Number(req.params.id)) {
    const overview = await this.evaluations.overview(id, req.auth!.user);
    return {
      ...layoutLocals(req), title: '案件评价会议', ...overview,
      isMember: req.auth!.user.role === 'evaluator', canRun: roleMay(req.auth!.user.role, 'meetings.run'),
    };
  }

  @Post('meetings/:id/open')
  @Access('meetings.run')
  async open(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.evaluations.open(id, actor);
    res.redirect(303, `/meetings/${id}?notice=opened`);
  }

  @Get('meetings/:id/steps/:step')
  @Access('meetings.take')
  @Render('evaluations/sheet.hbs')
  async sheet(@Param('id', IdPipe) id: number, @Param('step') step: string, @Req() req: TianpingRequest, @Query('notice') notice?: string) {
    return { ...(await this.sheetModel(req, id, step)), notice: noticeFrom(NOTICES, notice) };
  }

  async sheetModel(req: TianpingRequest, id = Number(req.params.id), step = String(req.params.step)) {
    const evaluatorId = req.auth!.user.evaluatorId!;
    const own = await this.evaluations.ownSheet(id, step, evaluatorId);
    const overview = await this.evaluations.overview(id, req.auth!.user);
    const definition = stepOf(step)!;
    const posted = req.method === 'POST' ? (req.body as { answers?: Record<string, unknown> })?.answers : undefined;
    const answers = normalizeAnswers((posted && typeof posted === 'object' ? posted : own.sheet?.answers) ?? {});
    const submitted = own.sheet?.status === 'submitted';
    let others: unknown[] = [];
    if (submitted || own.step.status === 'closed') others = await this.evaluations.othersSheets(id, step, evaluatorId);
    const departments = overview.dossier.departments;
    const stepInfo = overview.steps.find((s) => s.step === step)!;
    return {
      ...layoutLocals(req), title: definition.label, meetingId: id, step: definition, stepStatus: own.step.status,
      sheet: own.sheet, version: own.sheet?.version ?? 0, submitted, editable: own.step.status === 'open',
      questions: definition.questions.map((q) => ({
        ...q,
        isChoice: q.kind === 'choice', isText: q.kind === 'text', isPerDepartment: q.kind === 'per_department',
        options: 'options' in q ? q.options.map((o) => ({ ...o, checked: answers[q.key] === o.value })) : [],
        value: q.kind === 'text' ? (answers[q.key] as string) ?? '' : undefined,
        departments: q.kind === 'per_department' ? departments.map((d) => ({
          id: d.id, name: d.name,
          options: q.options.map((o) => ({ ...o, checked: ((answers[q.key] ?? {}) as Record<string, string>)[String(d.id)] === o.value })),
        })) : [],
      })),
      coreValues: CORE_VALUES.map((v) => ({ ...v, scores: VALUE_SCORES.map((n) => ({ n, checked: Number(((answers.values ?? {}) as Record<string, unknown>)[v.value]) === n })) })),
      opinion: (answers.opinion as string) ?? '',
      others: (others as { name: string; answers: Record<string, unknown> }[]).map((o) => ({ name: o.name, lines: describe(step, o.answers, departments) })),
      isChair: overview.isChair,
      // The chair closing a step is there and cannot be recorded absent; a member with a saved
      // draft may be filling in the sheet right now, which the chair should know before ticking.
      pending: stepInfo.members.filter((p) => p.status !== 'submitted').map((p) => ({ ...p, isSelf: p.id === evaluatorId, drafting: p.status === 'draft' })),
      stepIndex: STEPS.findIndex((s) => s.key === step) + 1,
    };
  }

  @Post('meetings/:id/steps/:step/save')
  @Access('meetings.take')
  @FormView('evaluations/sheet.hbs', { title: '评分表', model: 'sheetModel', keep: [] })
  async save(@Param('id', IdPipe) id: number, @Param('step') step: string, @Body() dto: SaveSheetDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.evaluations.saveSheet(id, step, actor.evaluatorId!, dto, 'draft', actor);
    res.redirect(303, `/meetings/${id}/steps/${step}?notice=saved`);
  }

  @Post('meetings/:id/steps/:step/submit')
  @Access('meetings.take')
  @FormView('evaluations/sheet.hbs', { title: '评分表', model: 'sheetModel', keep: [] })
  async submit(@Param('id', IdPipe) id: number, @Param('step') step: string, @Body() dto: SaveSheetDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.evaluations.saveSheet(id, step, actor.evaluatorId!, dto, 'submit', actor);
    res.redirect(303, `/meetings/${id}/steps/${step}?notice=submitted#others`);
  }

  @Post('meetings/:id/steps/:step/amend')
  @Access('meetings.take')
  @FormView('evaluations/sheet.hbs', { title: '评分表', model: 'sheetModel', keep: ['reason'] })
  async amend(@Param('id', IdPipe) id: number, @Param('step') step: string, @Body() dto: AmendSheetDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.evaluations.saveSheet(id, step, actor.evaluatorId!, dto, 'amend', actor);
    res.redirect(303, `/meetings/${id}/steps/${step}?notice=amended`);
  }

  @Post('meetings/:id/steps/:step/close')
  @Access('meetings.take')
  @FormView('evaluations/sheet.hbs', { title: '评分表', model: 'sheetModel', keep: [] })
  async close(@Param('id', IdPipe) id: number, @Param('step') step: string, @Body() dto: CloseStepDto, @CurrentActor() actor: Actor, @Res() res: Response) {
    const result = await this.evaluations.closeStep(id, step, actor.evaluatorId!, dto.absentees ?? [], actor);
    res.redirect(303, result.opened ? `/meetings/${id}/steps/${result.opened}?notice=closed` : `/meetings/${id}/resolution?notice=drafted`);
  }

  @Get('meetings/:id/resolution')
  @Access('meetings.read')
  @Render('evaluations/resolution.hbs')
  async resolution(@Param('id', IdPipe) id: number, @Req() req: TianpingRequest, @Query('notice') notice?: string) {
    return { ...(await this.resolutionModel(req, id)), notice: noticeFrom(NOTICES, notice) };
  }

  async resolutionModel(req: TianpingRequest, id = Number(req.params.id)) {
    const view = await this.evaluations.resolutionView(id, req.auth!.user);
    const me = req.auth!.user.evaluatorId;
    const current = view.current;
    return {
      ...layoutLocals(req), title: '评价决议', ...view, meetingId: id,
      canVote: !!me && current?.status === 'voting' && !current.voted.includes(me),
      hasVoted: !!me && !!current?.voted.includes(me),
      // For the chair before closing the vote: who has not voted (counted as against).
      notVoted: current?.status === 'voting' ? view.members.filter((p: { id: number }) => !current.voted.includes(p.id)).map((p: { name: string }) => p.name) : [],
      canSeeDocuments: roleMay(req.auth!.user.role, 'documents.read'),
      canAudit: roleMay(req.auth!.user.role, 'audit.read'),
      items: current?.items.map((item: { key: string }, i: number) => ({ ...item, ...postedEdit(req, i), outcome: current.outcome?.find((o: { key: string }) => o.key === item.key) ?? null, posted: postedVote(req, item.key) })) ?? [],
      pastVersions: view.versions.slice(0, -1).reverse(),
      // The chair may add a measure, and a referral when the draft has none.
      addAt: current?.items.length ?? 0,
      added: { measure: postedEdit(req, current?.items.length ?? 0), routing: postedEdit(req, (current?.items.length ?? 0) + 1) },
      measureKinds: Object.entries(MEASURE_LABELS).map(([value, label]) => ({ value, label })),
      routings: current?.items.some((i: { kind: string }) => i.kind === 'routing') ? [] : Object.entries(ROUTING_LABELS).map(([value, label]) => ({ value, label })),
    };
  }

  @Post('meetings/:id/resolution/edit')
  @Access('meetings.take')
  @FormView('evaluations/resolution.hbs', { title: '评价决议', model: 'resolutionModel', keep: [] })
  async edit(@Param('id', IdPipe) id: number, @Body() body: { items?: unknown }, @CurrentActor() actor: Actor, @Res() res: Response) {
    // The page posts items[i][…] with an "include" box per item; unticked items are dropped. The
    // rows for adding a measure or a referral (added=1) count once filled in.
    const rows = Array.isArray(body?.items) ? (body.items as Record<string, unknown>[]) : [];
    const filled = (r: Record<string, unknown>) => (r.kind === 'measure' ? typeof r.text === 'string' && r.text.trim() !== '' : typeof r.routing === 'string' && r.routing !== '');
    const kept = rows.map((r, at) => ({ r, at })).filter(({ r }) => r && (r.added === '1' ? filled(r) : r.kind === 'finding' || r.include === 'on'));
    const items = kept.map(({ r: { include: _include, added: _added, ...rest } }) => rest);
    try {
      await this.evaluations.editResolution(id, actor.evaluatorId!, items, actor);
    } catch (error) {
      // Problems name items by their place among those kept; the page numbers them as shown.
      if (!(error instanceof DomainError)) throw error;
      throw new DomainError(error.code, error.message, Object.fromEntries(Object.entries(error.fields).map(([key, message]) => {
        const at = /^items\.(\d+)$/.exec(key);
        const shown = at && kept[Number(at[1])] ? kept[Number(at[1])].at : null;
        return shown === null ? [key, message] : [`items.${shown}`, `第${shown + 1}项：${message}`];
      })));
    }
    res.redirect(303, `/meetings/${id}/resolution?notice=edited`);
  }

  @Post('meetings/:id/resolution/voting')
  @Access('meetings.take')
  async openVoting(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.evaluations.openVoting(id, actor.evaluatorId!, actor);
    res.redirect(303, `/meetings/${id}/resolution?notice=voting`);
  }

  @Post('meetings/:id/resolution/votes')
  @Access('meetings.take')
  @FormView('evaluations/resolution.hbs', { title: '评价决议', model: 'resolutionModel', keep: ['votes'] })
  async vote(@Param('id', IdPipe) id: number, @Body() body: { votes?: Record<string, { choice?: string; dissent?: string }> }, @CurrentActor() actor: Actor, @Res() res: Response) {
    // The page posts votes[<item key>][choice]; the API takes a list. An item left without a choice
    // (its dissent box posts regardless) is not voted on: the service names what is missing.
    const entries = body?.votes && typeof body.votes === 'object' ? Object.entries(body.votes) : [];
    const votes = entries.filter(([, v]) => v?.choice).map(([itemKey, v]) => ({ itemKey, choice: v.choice, dissent: v.dissent || undefined }));
    if (votes.some((v) => !['agree', 'disagree', 'abstain'].includes(v.choice as string))) {
      throw new DomainError('validation', '请对每一项选择同意、反对或弃权', { votes: '请对每一项选择同意、反对或弃权' });
    }
    // The same checks as the API's body (lengths of dissenting opinions, item keys).
    const dto = validatedAs(CastVotesDto, { votes });
    await this.evaluations.vote(id, actor.evaluatorId!, dto, actor);
    res.redirect(303, `/meetings/${id}/resolution?notice=voted`);
  }

  @Post('meetings/:id/resolution/close')
  @Access('meetings.take')
  async closeVoting(@Param('id', IdPipe) id: number, @CurrentActor() actor: Actor, @Res() res: Response) {
    await this.evaluations.closeVoting(id, actor.evaluatorId!, actor);
    res.redirect(303, `/meetings/${id}/resolution?notice=decided`);
  }
}

/** A submitted sheet as lines of "question: answer" for the other members to read. */
function describe(step: string, answers: Record<string, unknown>, departments: { id: number; name: string }[]): string[] {
  const definition = stepOf(step)!;
  const lines: string[] = [];
  for (const q of definition.questions) {
    const value = answers[q.key];
    if (q.kind === 'choice') lines.push(`${q.label}：${q.options.find((o) => o.value === value)?.label ?? '未答'}`);
    else if (q.kind === 'text') { if (value) lines.push(`${q.label}：${value}`); }
    else for (const d of departments) lines.push(`${d.name}：${q.options.find((o) => o.value === ((value ?? {}) as Record<string, string>)[String(d.id)])?.label ?? '未答'}`);
  }
  const values = (answers.values ?? {}) as Record<string, unknown>;
  lines.push(`核心价值：${CORE_VALUES.map((v) => `${v.label}${values[v.value] ?? '-'}分`).join('，')}`);
  if (answers.opinion) lines.push(`意见：${answers.opinion}`);
  return lines;
}

/** A member's choice and dissent on one item as just posted, shown again when the vote is refused. */
function postedVote(req: TianpingRequest, key: string): { choice: string; dissent: string } | null {
  if (req.method !== 'POST') return null;
  const vote = (req.body as { votes?: Record<string, { choice?: unknown; dissent?: unknown }> } | undefined)?.votes?.[key];
  return vote && typeof vote === 'object' ? { choice: String(vote.choice ?? ''), dissent: typeof vote.dissent === 'string' ? vote.dissent : '' } : null;
}

/** The chair's edits to item i as just posted, shown again when the draft is refused. */
function postedEdit(req: TianpingRequest, i: number): Record<string, unknown> {
  if (req.method !== 'POST' || !req.path.endsWith('/resolution/edit')) return {};
  const row = (req.body as { items?: unknown } | undefined)?.items;
  const posted = Array.isArray(row) ? (row[i] as Record<string, unknown> | undefined) : undefined;
  if (!posted || typeof posted !== 'object') return {};
  const edit: Record<string, unknown> = { dropped: posted.kind !== 'finding' && posted.include !== 'on' };
  for (const field of ['finding', 'routing', 'text', 'days', 'measure', 'departmentId'] as const) if (typeof posted[field] === 'string') edit[field] = posted[field];
  if (typeof posted.atFault === 'string') edit.atFault = posted.atFault === 'true';
  return edit;
}
