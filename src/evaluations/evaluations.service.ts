import { Injectable } from '@nestjs/common';
import { roleMay } from '../auth/domain/roles';
import { UserAccount } from '../auth/user-account.entity';
import { caseView } from '../cases/case-view';
import { CasesService } from '../cases/cases.service';
import { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { CORE_VALUES, STEPS } from './domain/criteria';
import { itemText, ResolutionItem } from './domain/draft';
import { VOTE_RULE_LABELS } from './domain/majority';
import { AmendSheetDto, CastVotesDto, SaveSheetDto, ScheduleMeetingDto } from './dto/evaluation.dto';
import { Meeting } from './evaluation.entities';
import { MeetingsService } from './meetings.service';
import { ResolutionsService } from './resolutions.service';
import { SheetsService } from './sheets.service';

/**
 * The evaluation as the controllers see it: one entry point that checks who is asking
 * (panel member, chair, office, auditor) and hands over to the meeting, sheet and
 * resolution services.
 */
@Injectable()
export class EvaluationsService {
  constructor(
    private readonly meetings: MeetingsService,
    private readonly sheets: SheetsService,
    private readonly resolutions: ResolutionsService,
    private readonly cases: CasesService,
  ) {}

  schedule(caseId: number, dto: ScheduleMeetingDto, actor: Actor) {
    return this.meetings.schedule(caseId, dto, actor);
  }

  open(meetingId: number, actor: Actor) {
    return this.meetings.open(meetingId, actor);
  }

  meetingsOf(evaluatorId: number) {
    return this.meetings.meetingsOf(evaluatorId);
  }

  /** Office and auditor see every meeting; an evaluator only their own (others are 404). */
  private async visible(meetingId: number, user: UserAccount): Promise<Meeting> {
    if (user.role === 'evaluator') return (await this.meetings.asMember(meetingId, user.evaluatorId!)).meeting;
    if (!roleMay(user.role, 'meetings.read')) throw new DomainError('forbidden', '您没有权限查看评价会议');
    return this.meetings.get(meetingId);
  }

  async overview(meetingId: number, user: UserAccount) {
    const meeting = await this.visible(meetingId, user);
    const dossier = await this.cases.dossier(meeting.caseId);
    // Names are unsealed to the panel when the meeting opens; the office has them all along.
    const namesOpen = meeting.status !== 'scheduled' || user.role !== 'evaluator';
    const named = await this.meetings.membersWithNames(meeting);
    const members = named.map((p) => (namesOpen ? p : { ...p, name: `评价员 ${p.id}` }));
    return {
      meeting,
      voteRuleLabel: VOTE_RULE_LABELS[meeting.voteRule],
      isChair: user.evaluatorId === meeting.chairEvaluatorId,
      members,
      steps: await this.sheets.progress(meeting, members),
      dossier: { ...dossier, kase: caseView(dossier.kase) },
      criteria: { steps: STEPS, coreValues: CORE_VALUES },
    };
  }

  ownSheet(meetingId: number, step: string, evaluatorId: number) {
    return this.sheets.ownSheet(meetingId, step, evaluatorId);
  }

  saveSheet(meetingId: number, step: string, evaluatorId: number, dto: SaveSheetDto | AmendSheetDto, action: 'draft' | 'submit' | 'amend', actor: Actor) {
    return this.sheets.save(meetingId, step, evaluatorId, dto, action, actor);
  }

  othersSheets(meetingId: number, step: string, evaluatorId: number) {
    return this.sheets.othersSheets(meetingId, step, evaluatorId);
  }

  closeStep(meetingId: number, step: string, chairId: number, absentees: number[], actor: Actor) {
    return this.sheets.closeStep(meetingId, step, chairId, absentees, actor);
  }

  async resolutionView(meetingId: number, user: UserAccount) {
    const meeting = await this.visible(meetingId, user);
    const history = await this.resolutions.history(meetingId);
    const current = history[history.length - 1] ?? null;
    const members = await this.meetings.membersWithNames(meeting);
    const versions = await Promise.all(history.map(async (r) => {
      const items: ResolutionItem[] = JSON.parse(r.items);
      const votes = await this.resolutions.votesOf(r.id);
      return {
        ...r,
        // sentence: what is voted on; the item's own fields stay as they are, so a client can send them back.
        items: items.map((i) => ({ ...i, sentence: itemText(i) })),
        outcome: r.outcome ? JSON.parse(r.outcome) : null,
        voted: [...new Set(votes.map((v) => v.evaluatorId))],
        myVotes: user.evaluatorId ? votes.filter((v) => v.evaluatorId === user.evaluatorId) : [],
        // Everyone's votes and dissents are shown once the vote is decided.
        votes: r.status === 'voting' || r.status === 'draft' ? [] : votes.map((v) => ({ ...v, name: members.find((p) => p.id === v.evaluatorId)?.name ?? '', itemText: itemText(items.find((i) => i.key === v.itemKey) ?? items[0]) })),
      };
    }));
    // The case's departments: a measure the chair adds names one of them.
    const departments = (await this.cases.departmentsOf(meeting.caseId)).map((d) => ({ id: d.id, name: d.name }));
    return { meeting, voteRuleLabel: VOTE_RULE_LABELS[meeting.voteRule], isChair: user.evaluatorId === meeting.chairEvaluatorId, current: versions[versions.length - 1] ?? null, versions, members, departments, hasCurrent: !!current, measures: await this.resolutions.measures(meeting.caseId) };
  }

  async editResolution(meetingId: number, evaluatorId: number, items: Record<string, unknown>[], actor: Actor) {
    const { meeting } = await this.meetings.asMember(meetingId, evaluatorId);
    return this.resolutions.edit(meeting, evaluatorId, items, actor);
  }

  async openVoting(meetingId: number, evaluatorId: number, actor: Actor) {
    const { meeting } = await this.meetings.asMember(meetingId, evaluatorId);
    await this.resolutions.openVoting(meeting, evaluatorId, actor);
    return { ok: true };
  }

  async vote(meetingId: number, evaluatorId: number, dto: CastVotesDto, actor: Actor) {
    const { meeting, members } = await this.meetings.asMember(meetingId, evaluatorId);
    return this.resolutions.vote(meeting, members, evaluatorId, dto, actor);
  }

  async closeVoting(meetingId: number, evaluatorId: number, actor: Actor) {
    const { meeting, members } = await this.meetings.asMember(meetingId, evaluatorId);
    return this.resolutions.closeVoting(meeting, members, evaluatorId, actor);
  }

  async correct(meetingId: number, items: Record<string, unknown>[], reason: string | undefined, actor: Actor) {
    return this.resolutions.correct(await this.meetings.get(meetingId), items, reason, actor);
  }
}
