import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CasesService } from '../cases/cases.service';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { canonicalJson } from '../draws/domain/draw-rules';
import { rawInsert, rawRows, rawRun } from '../database/raw-rows';
import { UnitOfWork } from '../database/unit-of-work';
import { Evaluator } from '../pool/evaluator.entity';
import { Answers, normalizeAnswers, STEP_KEYS, StepKey, sheetProblems, stepOf } from './domain/criteria';
import { hasQuorum, missingSubmissions, nextOpenable, StepStatus } from './domain/step-order';
import { AmendSheetDto, SaveSheetDto } from './dto/evaluation.dto';
import { EvaluationStep, Meeting, ScoreSheet, ScoreSheetVersion } from './evaluation.entities';
import { MeetingsService } from './meetings.service';
import { ResolutionsService } from './resolutions.service';

type SheetAction = 'draft' | 'submit' | 'amend';

const SAVE_FACTS_SQL = `SELECT mt.status, mt.caseId, st.id, st.status,
    (SELECT COUNT(*) FROM panel_member pm WHERE pm.panelId = mt.panelId AND pm.evaluatorId = ? AND pm.state = 'accepted'),
    s.id, s.version, s.status
  FROM meeting mt JOIN evaluation_step st ON st.meetingId = mt.id AND st.step = ?
  LEFT JOIN score_sheet s ON s.stepId = st.id AND s.evaluatorId = ?
  WHERE mt.id = ?`;

/**
 * Score sheets: drafts saved as members type, submission, amendment with a reason, every
 * version kept; a member sees the others' sheets of a step only after submitting their own;
 * the chair closes each step, which opens the next.
 */
@Injectable()
export class SheetsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly cases: CasesService,
    private readonly meetings: MeetingsService,
    private readonly resolutions: ResolutionsService,
  ) {}

  private stepKey(step: string): StepKey {
    if (!stepOf(step)) throw new DomainError('not_found', '没有这个评价步骤');
    return step as StepKey;
  }

  async ownSheet(meetingId: number, step: string, evaluatorId: number) {
    const key = this.stepKey(step);
    const { meeting } = await this.meetings.asMember(meetingId, evaluatorId);
    const row = await this.stepRow(this.dataSource.manager, meetingId, key);
    const sheet = await this.dataSource.getRepository(ScoreSheet).findOneBy({ stepId: row.id, evaluatorId });
    return { meeting, step: row, sheet: sheet ? { ...sheet, answers: JSON.parse(sheet.answers) as Answers } : null };
  }

  /** Saves a draft, submits, or amends — one transaction, with a version check against lost updates. */
  async save(meetingId: number, step: string, evaluatorId: number, dto: SaveSheetDto | AmendSheetDto, action: SheetAction, actor: Actor) {
    const key = this.stepKey(step);
    return this.uow.run(async (m) => {
      // The busiest write (autosave): what it needs to know in one prepared statement.
      const [facts] = await rawRows<[string, number, number, string, number, number | null, number | null, string | null]>(m, SAVE_FACTS_SQL, [evaluatorId, key, evaluatorId, meetingId]);
      if (!facts || facts[4] === 0) throw new DomainError('not_found', '找不到该评价会议');
      const [meetingStatus, caseId, stepId, stepStatus, , existingId, sheetVersion, sheetStatus] = facts;
      if (meetingStatus !== 'open' || stepStatus !== 'open') {
        throw new DomainError('invalid_state', stepStatus === 'closed' ? `${stepOf(key)!.label}已结束，评分表不能再修改` : `${stepOf(key)!.label}尚未开始`);
      }
      const row = { id: stepId };
      // Only the responsibility step asks per department.
      const departments = key === 'responsibility' ? (await rawRows<[number]>(m, `SELECT departmentId FROM case_department WHERE caseId = ?`, [caseId])).map(([d]) => d) : [];
      dto.answers = normalizeAnswers(dto.answers);
      const problems = sheetProblems(key, dto.answers, departments, action !== 'draft');
      if (Object.keys(problems).length) throw new DomainError('validation', action === 'draft' ? '草稿中有无效的内容' : '评分表还有未完成或无效的项目', problems);
      const existing = existingId === null ? null : { id: existingId, version: sheetVersion!, status: sheetStatus as 'draft' | 'submitted', submittedAt: null as number | null };
      const current = existing?.version ?? 0;
      if (dto.version !== current) {
        throw new DomainError('conflict', `这份评分表已在其他页面或设备上保存过（当前第${current}版，您看到的是第${dto.version}版）。请刷新页面，核对后再保存。`);
      }
      if (existing?.status === 'submitted' && action !== 'amend') {
        throw new DomainError('invalid_state', '评分表已提交。如需修改，请填写修改原因后提交修改。');
      }
      if (action === 'amend' && existing?.status !== 'submitted') throw new DomainError('invalid_state', '只有已提交的评分表需要填写原因修改');
      if (action === 'amend') {
        // An amendment is a recorded change of mind: one that changes nothing is not one.
        const [[before]] = await rawRows<[string]>(m, `SELECT answers FROM score_sheet WHERE id = ?`, [existing!.id]);
        if (canonicalJson(normalizeAnswers(JSON.parse(before))) === canonicalJson(dto.answers)) {
          throw new DomainError('validation', '修改后的评分与已提交的完全相同，无需提交修改', { reason: '评分没有改动；如需修改，请先改动评分再提交' });
        }
      }
      const now = this.clock.now().getTime();
      const status = action === 'draft' ? 'draft' : 'submitted';
      const answers = JSON.stringify(dto.answers);
      const version = current + 1;
      let sheetId: number;
      if (existing) {
        // The WHERE on version keeps the check honest even against a writer outside this process.
        // Plain statements on the hot path: the query builder costs more than the write.
        const result = await rawRun(m,
          `UPDATE score_sheet SET answers = ?, status = ?, version = ?, updatedAt = ?, submittedAt = CASE WHEN ? = 'submitted' THEN COALESCE(submittedAt, ?) ELSE NULL END WHERE id = ? AND version = ?`,
          [answers, status, version, now, status, now, existing.id, current],
        );
        if (result.changes !== 1) throw new DomainError('conflict', '这份评分表刚被修改过，请刷新页面后再保存。');
        sheetId = existing.id;
      } else {
        sheetId = await rawInsert(m,
          `INSERT INTO score_sheet (stepId, evaluatorId, status, answers, version, submittedAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [row.id, evaluatorId, status, answers, version, status === 'submitted' ? now : null, now],
        );
      }
      await rawRun(m, `INSERT INTO score_sheet_version (sheetId, version, status, answers, reason, at) VALUES (?, ?, ?, ?, ?, ?)`, [sheetId, version, status, answers, action === 'amend' ? (dto as AmendSheetDto).reason : null, now]);
      if (action !== 'draft') {
        await this.audit.record(m, actor, {
          action: action === 'submit' ? 'sheet.submitted' : 'sheet.amended', entityType: 'meeting', entityId: meetingId,
          summary: `${stepOf(key)!.label}评分表${action === 'submit' ? '提交' : `修改（${(dto as AmendSheetDto).reason}）`}，第${version}版`,
          after: { step: key, sheetId, version },
        });
      }
      return { id: sheetId, status, version, updatedAt: now };
      // A draft touches only its own sheet (version-checked) and is not audited: it may run
      // beside other drafts (UnitOfWork), never beside a step being closed or a submission.
    }, { shared: action === 'draft' });
  }

  /** The other members' submitted sheets of a step: only once the asker's own is submitted (or the step closed). */
  async othersSheets(meetingId: number, step: string, evaluatorId: number) {
    const key = this.stepKey(step);
    const { meeting } = await this.meetings.asMember(meetingId, evaluatorId);
    const row = await this.stepRow(this.dataSource.manager, meetingId, key);
    const own = await this.dataSource.getRepository(ScoreSheet).findOneBy({ stepId: row.id, evaluatorId });
    if (row.status !== 'closed' && own?.status !== 'submitted') {
      throw new DomainError('forbidden', '请先提交您本人的评分，再查看其他成员的评分。');
    }
    return this.submittedSheets(meeting, row);
  }

  async submittedSheets(meeting: Meeting, row: EvaluationStep) {
    const sheets = await this.dataSource.getRepository(ScoreSheet).find({ where: { stepId: row.id, status: 'submitted' }, order: { submittedAt: 'ASC' } });
    const names = new Map((await this.meetings.membersWithNames(meeting)).map((p) => [p.id, p.name]));
    return sheets.map((s) => ({ evaluatorId: s.evaluatorId, name: names.get(s.evaluatorId) ?? `评价员 ${s.evaluatorId}`, version: s.version, submittedAt: s.submittedAt, answers: JSON.parse(s.answers) as Answers }));
  }

  async versions(meetingId: number, step: string, evaluatorId: number) {
    const { sheet } = await this.ownSheet(meetingId, step, evaluatorId);
    if (!sheet) return [];
    return this.dataSource.getRepository(ScoreSheetVersion).find({ where: { sheetId: sheet.id }, order: { version: 'ASC' } });
  }

  /** Progress for the meeting page: who has submitted which step (not what they wrote). */
  async progress(meeting: Meeting, members: { id: number; name: string; categoryLabel: string; chair: boolean }[]) {
    const steps = await this.meetings.steps(meeting.id);
    const rows = await this.dataSource.getRepository(ScoreSheet).createQueryBuilder('s').innerJoin(EvaluationStep, 'st', 'st.id = s.stepId')
      .select(['st.step AS step', 's.evaluatorId AS evaluatorId', 's.status AS status']).where('st.meetingId = :id', { id: meeting.id }).getRawMany<{ step: StepKey; evaluatorId: number; status: string }>();
    return steps.map((s) => ({
      ...s,
      label: stepOf(s.step)!.label,
      absentees: JSON.parse(s.absentees) as number[],
      members: members.map((p) => ({ ...p, status: rows.find((r) => r.step === s.step && r.evaluatorId === p.id)?.status ?? 'none' })),
    }));
  }

  /**
   * The chair closes the open step once every member has submitted or is recorded absent;
   * the next step opens; after the last, the resolution draft is made from the sheets.
   */
  async closeStep(meetingId: number, step: string, chairId: number, absentees: number[], actor: Actor) {
    const key = this.stepKey(step);
    return this.uow.run(async (m) => {
      const { meeting, members } = await this.meetings.asMember(meetingId, chairId, m);
      if (meeting.chairEvaluatorId !== chairId) throw new DomainError('forbidden', '只有组长可以结束评价步骤');
      const steps = await this.meetings.steps(meetingId, m);
      const row = steps.find((s) => s.step === key)!;
      if (row.status !== 'open') throw new DomainError('invalid_state', `${stepOf(key)!.label}不在进行中`);
      const unknown = absentees.filter((a) => !members.includes(a));
      if (unknown.length) throw new DomainError('validation', '缺席名单中有非本评价组成员', { absentees: '缺席名单中有非本评价组成员' });
      if (absentees.includes(chairId)) throw new DomainError('validation', '组长本人正在结束本步骤，不能记为缺席', { absentees: '组长本人正在结束本步骤，不能记为缺席' });
      const submitted = (await m.findBy(ScoreSheet, { stepId: row.id, status: 'submitted' })).map((s) => s.evaluatorId);
      const wrongAbsent = absentees.filter((a) => submitted.includes(a));
      if (wrongAbsent.length) throw new DomainError('validation', '已提交评分的成员不能记为缺席', { absentees: '已提交评分的成员不能记为缺席' });
      // A step's findings stand on the sheets of more than half of the panel, as an item of the
      // resolution passes only with more than half of it; until then the step stays open.
      if (!hasQuorum(members.length, submitted.length)) {
        throw new DomainError('invalid_state', `本步骤只收到${submitted.length}份评分，须有评价组过半数（${Math.floor(members.length / 2) + 1}人以上）提交后才能结束。请等待其他成员提交。`);
      }
      const missing = missingSubmissions(members, submitted, absentees);
      if (missing.length) {
        const names = (await m.findBy(Evaluator, { id: In(missing.filter((id) => id !== chairId)) })).map((e) => e.name);
        // The chair closing the step is there: their own sheet is asked for, not an absence.
        const own = missing.includes(chairId) ? '请先提交您本人的评分。' : '';
        throw new DomainError('invalid_state', names.length
          ? `还有成员未提交评分：${names.join('、')}。${own}请等待提交，或将其记为缺席后再结束本步骤。`
          : `${own}提交后即可结束本步骤。`);
      }
      const now = this.clock.now().getTime();
      await m.update(EvaluationStep, { id: row.id }, { status: 'closed', closedAt: now, absentees: JSON.stringify(absentees) });
      const statuses = Object.fromEntries(steps.map((s) => [s.step, s.id === row.id ? 'closed' : s.status])) as Record<StepKey, StepStatus>;
      const next = nextOpenable(statuses);
      if (next) await m.update(EvaluationStep, { meetingId, step: next }, { status: 'open', openedAt: now });
      await this.cases.event(m, meeting.caseId, null, null, `${stepOf(key)!.label}结束${absentees.length ? `（缺席${absentees.length}人）` : ''}${next ? `，进入${stepOf(next)!.label}` : '，四个步骤全部完成'}`, actor);
      await this.audit.record(m, actor, {
        action: 'step.closed', entityType: 'meeting', entityId: meetingId,
        summary: `组长结束${stepOf(key)!.label}：提交${submitted.length}份${absentees.length ? `，缺席${absentees.length}人` : ''}`,
        after: { step: key, submitted, absentees },
      });
      if (!next && STEP_KEYS.every((k) => statuses[k] === 'closed')) await this.resolutions.createDraft(m, meeting, actor);
      return { closed: key, opened: next };
    });
  }

  private async stepRow(m: EntityManager, meetingId: number, step: StepKey): Promise<EvaluationStep> {
    return m.findOneByOrFail(EvaluationStep, { meetingId, step });
  }
}
