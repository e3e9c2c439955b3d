import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CasesService } from '../cases/cases.service';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { isoInZone } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { UnitOfWork } from '../database/unit-of-work';
import { endOfLocalDate } from '../followup/domain/warning-level';
import { Answers, StepKey } from './domain/criteria';
import { checkItems, draftResolution, itemText, ResolutionItem, SheetsByStep } from './domain/draft';
import { passes, tally, VoteChoice } from './domain/majority';
import { CastVotesDto } from './dto/evaluation.dto';
import { EvaluationStep, Measure, Meeting, Resolution, ScoreSheet, Vote } from './evaluation.entities';

export interface ItemOutcome {
  key: string;
  agree: number;
  disagree: number;
  abstain: number;
  notVoted: number;
  passed: boolean;
}

/** The resolution (决议): drafted from the sheets, edited by the chair, voted item by item, adopted, corrected as a new version. */
@Injectable()
export class ResolutionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly cases: CasesService,
    private readonly config: AppConfig,
  ) {}

  /**
   * "Within N days" of adoption: until the end of the Nth calendar day in the office's zone, as
   * the deadline is printed and its warnings count (not the hour of adoption N days on).
   */
  private dueAfter(now: number, days: number): number {
    return endOfLocalDate(isoInZone(new Date(now + days * 86_400_000), this.config.APP_TIMEZONE).slice(0, 10), this.config.APP_TIMEZONE);
  }

  /** Called when the last step closes: the first draft, by majority of the submitted sheets. */
  async createDraft(m: EntityManager, meeting: Meeting, actor: Actor): Promise<Resolution> {
    const steps = await m.find(EvaluationStep, { where: { meetingId: meeting.id } });
    const sheets: SheetsByStep = {};
    for (const s of steps) {
      sheets[s.step as StepKey] = (await m.findBy(ScoreSheet, { stepId: s.id, status: 'submitted' })).map((x) => JSON.parse(x.answers) as Answers);
    }
    const departments = await this.cases.departmentsOf(meeting.caseId, m);
    const items = draftResolution(sheets, departments.map((d) => ({ id: d.id, name: d.name })));
    const resolution = await m.save(Resolution, m.create(Resolution, { meetingId: meeting.id, version: 1, status: 'draft', items: JSON.stringify(items), outcome: null, reason: null, createdAt: this.clock.now().getTime(), votingOpenedAt: null, decidedAt: null }));
    await this.cases.event(m, meeting.caseId, null, null, '根据评分表形成决议草案', actor);
    return resolution;
  }

  async current(meetingId: number, m: EntityManager = this.dataSource.manager): Promise<Resolution | null> {
    return m.findOne(Resolution, { where: { meetingId }, order: { version: 'DESC' } });
  }

  async history(meetingId: number): Promise<Resolution[]> {
    return this.dataSource.getRepository(Resolution).find({ where: { meetingId }, order: { version: 'ASC' } });
  }

  /** The chair rewrites the draft before voting. */
  async edit(meeting: Meeting, chairId: number, rawItems: Record<string, unknown>[], actor: Actor): Promise<Resolution> {
    if (meeting.chairEvaluatorId !== chairId) throw new DomainError('forbidden', '只有组长可以修改决议草案');
    return this.uow.run(async (m) => {
      const resolution = await this.current(meeting.id, m);
      if (!resolution || resolution.status !== 'draft') throw new DomainError('invalid_state', '只有草案可以修改');
      const items = await this.checked(m, meeting, rawItems);
      await m.update(Resolution, { id: resolution.id }, { items: JSON.stringify(items) });
      await this.audit.record(m, actor, { action: 'resolution.edited', entityType: 'meeting', entityId: meeting.id, summary: `组长修改决议草案（第${resolution.version}版）`, before: JSON.parse(resolution.items), after: items });
      return { ...resolution, items: JSON.stringify(items) };
    });
  }

  private async checked(m: EntityManager, meeting: Meeting, raw: Record<string, unknown>[]): Promise<ResolutionItem[]> {
    const departments = await this.cases.departmentsOf(meeting.caseId, m);
    const { items, problems } = checkItems(raw, departments.map((d) => ({ id: d.id, name: d.name })));
    if (Object.keys(problems).length) throw new DomainError('validation', Object.values(problems).join('；'), problems);
    return items;
  }

  async openVoting(meeting: Meeting, chairId: number, actor: Actor): Promise<void> {
    if (meeting.chairEvaluatorId !== chairId) throw new DomainError('forbidden', '只有组长可以发起表决');
    await this.uow.run(async (m) => {
      const resolution = await this.current(meeting.id, m);
      if (!resolution || resolution.status !== 'draft') throw new DomainError('invalid_state', '没有待表决的决议草案');
      await m.update(Resolution, { id: resolution.id }, { status: 'voting', votingOpenedAt: this.clock.now().getTime() });
      await this.audit.record(m, actor, { action: 'resolution.voting_opened', entityType: 'meeting', entityId: meeting.id, summary: `决议第${resolution.version}版开始表决` });
    });
  }

  /** A member votes on every item at once; when all members have voted the result is counted. */
  async vote(meeting: Meeting, members: number[], evaluatorId: number, dto: CastVotesDto, actor: Actor) {
    return this.uow.run(async (m) => {
      const resolution = await this.current(meeting.id, m);
      if (!resolution || resolution.status !== 'voting') throw new DomainError('invalid_state', '当前没有正在表决的决议');
      const items: ResolutionItem[] = JSON.parse(resolution.items);
      const keys = items.map((i) => i.key);
      const given = dto.votes.map((v) => v.itemKey);
      const unknown = given.filter((k) => !keys.includes(k));
      if (unknown.length || new Set(given).size !== given.length) {
        throw new DomainError('validation', '请对决议的每一项表决一次', { votes: '请对决议的每一项表决一次' });
      }
      // Items not voted on, numbered as the page and the document number them.
      const missing = keys.map((k, n) => (given.includes(k) ? null : `第${n + 1}项`)).filter(Boolean);
      if (missing.length) {
        const message = `请对每一项选择同意、反对或弃权（尚未选择：${missing.join('、')}）`;
        throw new DomainError('validation', message, { votes: message });
      }
      if ((await m.countBy(Vote, { resolutionId: resolution.id, evaluatorId })) > 0) throw new DomainError('conflict', '您已经表决过了');
      const now = this.clock.now().getTime();
      for (const v of dto.votes) {
        await m.insert(Vote, { resolutionId: resolution.id, itemKey: v.itemKey, evaluatorId, choice: v.choice, dissent: v.dissent || null, at: now });
      }
      await this.audit.record(m, actor, { action: 'resolution.voted', entityType: 'meeting', entityId: meeting.id, summary: `成员（编号${evaluatorId}）对决议第${resolution.version}版表决`, after: { votes: dto.votes.map((v) => ({ item: v.itemKey, choice: v.choice, dissent: v.dissent ?? null })) } });
      const voters = new Set((await m.find(Vote, { where: { resolutionId: resolution.id } })).map((v) => v.evaluatorId));
      if (members.every((id) => voters.has(id))) return this.decide(m, meeting, resolution, members, actor);
      return { status: 'voting' as const };
    });
  }

  /** The chair may close voting when some members cannot vote; they count as not agreeing. */
  async closeVoting(meeting: Meeting, members: number[], chairId: number, actor: Actor) {
    if (meeting.chairEvaluatorId !== chairId) throw new DomainError('forbidden', '只有组长可以结束表决');
    return this.uow.run(async (m) => {
      const resolution = await this.current(meeting.id, m);
      if (!resolution || resolution.status !== 'voting') throw new DomainError('invalid_state', '当前没有正在表决的决议');
      return this.decide(m, meeting, resolution, members, actor);
    });
  }

  /**
   * Counts each item against the full panel. The resolution is adopted when the finding on the
   * demand passes; items that fail are left out. Adoption freezes it, moves the case to
   * "resolved" and creates the measures to follow up.
   */
  private async decide(m: EntityManager, meeting: Meeting, resolution: Resolution, members: number[], actor: Actor) {
    const items: ResolutionItem[] = JSON.parse(resolution.items);
    const votes = await m.find(Vote, { where: { resolutionId: resolution.id } });
    const outcome: ItemOutcome[] = items.map((item) => {
      const choices = votes.filter((v) => v.itemKey === item.key).map((v) => v.choice as VoteChoice);
      const t = tally(choices);
      return { key: item.key, ...t, notVoted: members.length - choices.length, passed: passes(t.agree, members.length, meeting.voteRule) };
    });
    const adopted = outcome.find((o) => o.key === 'finding')?.passed === true;
    const now = this.clock.now().getTime();
    await m.update(Resolution, { id: resolution.id }, { status: adopted ? 'adopted' : 'rejected', outcome: JSON.stringify(outcome), decidedAt: now });
    if (adopted) {
      // A correction replaces the measures of the version it corrects.
      await m.update(Measure, { caseId: meeting.caseId, status: 'open' }, { status: 'cancelled' });
      for (const item of items) {
        if (!outcome.find((o) => o.key === item.key)!.passed) continue;
        if (item.kind === 'measure') {
          await m.insert(Measure, { caseId: meeting.caseId, resolutionId: resolution.id, kind: item.measure, departmentId: item.departmentId, description: itemText(item), days: item.days, dueAt: item.days ? this.dueAfter(now, item.days) : null, status: 'open', createdAt: now });
        } else if (item.kind === 'routing') {
          await m.insert(Measure, { caseId: meeting.caseId, resolutionId: resolution.id, kind: 'routing', departmentId: null, description: itemText(item), days: null, dueAt: null, status: 'open', createdAt: now });
        }
      }
      await m.update(Meeting, { id: meeting.id }, { status: 'closed', closedAt: now });
      const kase = await this.cases.get(meeting.caseId, m);
      if (kase.status === 'evaluating') await this.cases.transition(m, meeting.caseId, 'resolved', `决议第${resolution.version}版通过`, actor);
      else await this.cases.event(m, meeting.caseId, null, null, `决议更正第${resolution.version}版通过`, actor);
    } else {
      await this.cases.event(m, meeting.caseId, null, null, `决议第${resolution.version}版未获通过（诉求认定未达表决要求），组长可修改后重新表决`, actor);
    }
    await this.audit.record(m, actor, {
      action: adopted ? 'resolution.adopted' : 'resolution.rejected', entityType: 'meeting', entityId: meeting.id,
      summary: `决议第${resolution.version}版${adopted ? '通过' : '未通过'}：${outcome.map((o) => `${o.key} 同意${o.agree}/反对${o.disagree}/弃权${o.abstain}/未表决${o.notVoted}`).join('；')}`,
      after: { outcome },
    });
    if (!adopted) {
      // A rejected version gives way to a fresh draft the chair can change and put to the vote again.
      await m.save(Resolution, m.create(Resolution, { meetingId: meeting.id, version: resolution.version + 1, status: 'draft', items: resolution.items, outcome: null, reason: '上一版未获通过，重新拟定', createdAt: now, votingOpenedAt: null, decidedAt: null }));
    }
    return { status: adopted ? ('adopted' as const) : ('rejected' as const), outcome };
  }

  /** A correction of an adopted resolution: a new version with a reason; both stay visible. */
  async correct(meeting: Meeting, rawItems: Record<string, unknown>[], reason: string | undefined, actor: Actor): Promise<Resolution> {
    if (!reason || reason.trim().length < 2) throw new DomainError('validation', '更正决议须说明原因', { reason: '更正决议须说明原因' });
    return this.uow.run(async (m) => {
      const resolution = await this.current(meeting.id, m);
      if (!resolution || resolution.status !== 'adopted') throw new DomainError('invalid_state', '只有已通过的决议可以更正');
      const items = await this.checked(m, meeting, rawItems);
      await m.update(Resolution, { id: resolution.id }, { status: 'superseded' });
      const next = await m.save(Resolution, m.create(Resolution, { meetingId: meeting.id, version: resolution.version + 1, status: 'draft', items: JSON.stringify(items), outcome: null, reason, createdAt: this.clock.now().getTime(), votingOpenedAt: null, decidedAt: null }));
      await m.update(Meeting, { id: meeting.id }, { status: 'open', closedAt: null });
      await this.cases.event(m, meeting.caseId, null, null, `更正决议（第${next.version}版）：${reason}`, actor);
      await this.audit.record(m, actor, { action: 'resolution.corrected', entityType: 'meeting', entityId: meeting.id, summary: `发起决议更正，第${next.version}版：${reason}`, before: JSON.parse(resolution.items), after: items });
      return next;
    });
  }

  /** Votes on the current version, with dissenting opinions, for the resolution page. */
  async votesOf(resolutionId: number) {
    return this.dataSource.getRepository(Vote).find({ where: { resolutionId }, order: { id: 'ASC' } });
  }

  async measures(caseId: number) {
    return this.dataSource.getRepository(Measure).find({ where: { caseId, status: In(['open', 'done']) }, order: { id: 'ASC' } });
  }
}

