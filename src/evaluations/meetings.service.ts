import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CasesService } from '../cases/cases.service';
import { PetitionCase } from '../cases/petition-case.entity';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { isoInZone } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { UnitOfWork } from '../database/unit-of-work';
import { Panel, PanelMember } from '../draws/panel.entity';
import { NotificationsService } from '../notifications/notifications.service';
import { Evaluator } from '../pool/evaluator.entity';
import { CATEGORY_LABELS } from '../pool/domain/categories';
import { STEP_KEYS } from './domain/criteria';
import { ScheduleMeetingDto } from './dto/evaluation.dto';
import { EvaluationStep, Meeting } from './evaluation.entities';

/** The evaluation meeting: scheduling, the chair, opening (which unseals names), and who takes part. */
@Injectable()
export class MeetingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly cases: CasesService,
    private readonly notifications: NotificationsService,
    private readonly config: AppConfig,
  ) {}

  async schedule(caseId: number, dto: ScheduleMeetingDto, actor: Actor): Promise<Meeting> {
    return this.uow.run(async (m) => {
      const kase = await this.cases.get(caseId, m);
      if (kase.status !== 'panel_confirmed') throw new DomainError('invalid_state', '评价组全部确认参加后才能安排评价会议');
      if (await m.findOneBy(Meeting, { caseId })) throw new DomainError('conflict', '本案已安排评价会议');
      const panel = await m.findOneByOrFail(Panel, { caseId, status: 'confirmed' });
      const members = await this.memberIds(m, panel.id);
      let chair: number;
      if (dto.chairEvaluatorId) {
        if (!members.includes(dto.chairEvaluatorId)) throw new DomainError('validation', '组长必须是本案评价组成员', { chairEvaluatorId: '组长必须是本案评价组成员' });
        if (!dto.chairReason || dto.chairReason.length < 2) throw new DomainError('validation', '指定组长须说明原因', { chairReason: '指定组长须说明原因' });
        chair = dto.chairEvaluatorId;
      } else {
        chair = members[randomInt(members.length)];
      }
      const offset = isoInZone(this.clock.now(), this.config.APP_TIMEZONE).slice(19);
      const scheduledAt = Date.parse(`${dto.scheduledAt}:00${offset}`);
      if (Number.isNaN(scheduledAt)) throw new DomainError('validation', '会议时间无效', { scheduledAt: '会议时间无效' });
      const now = this.clock.now().getTime();
      // A meeting cannot be scheduled once set, so a slip of the year (2020 for 2026) is caught
      // here; the same day stays allowed (a meeting entered as it begins).
      if (dto.scheduledAt.slice(0, 10) < isoInZone(this.clock.now(), this.config.APP_TIMEZONE).slice(0, 10)) {
        throw new DomainError('validation', '会议时间不能早于今天', { scheduledAt: '会议时间不能早于今天' });
      }
      if (scheduledAt > now + 366 * 86_400_000) throw new DomainError('validation', '会议时间不能晚于一年以后', { scheduledAt: '会议时间不能晚于一年以后' });
      const meeting = await m.save(Meeting, m.create(Meeting, {
        caseId, panelId: panel.id, scheduledAt, place: dto.place, online: dto.online ?? false, chairEvaluatorId: chair,
        chairChosenBy: dto.chairEvaluatorId ? 'office' : 'random', chairReason: dto.chairEvaluatorId ? dto.chairReason! : null,
        voteRule: dto.voteRule ?? 'majority', status: 'scheduled', openedAt: null, closedAt: null, createdAt: now,
      }));
      for (const [i, step] of STEP_KEYS.entries()) {
        await m.insert(EvaluationStep, { meetingId: meeting.id, step, position: i + 1, status: 'pending', openedAt: null, closedAt: null, absentees: '[]' });
      }
      for (const id of members) {
        await this.notifications.notifyEvaluator(m, id, '评价会议通知', `${dto.scheduledAt.replace('T', ' ')}，${dto.place}${dto.online ? '（线上）' : ''}${id === chair ? '。您担任本次评价组组长' : ''}`, `/meetings/${meeting.id}`);
      }
      await this.cases.event(m, caseId, null, null, `安排评价会议：${dto.scheduledAt.replace('T', ' ')}，${dto.place}；组长${dto.chairEvaluatorId ? `由联席办指定（${dto.chairReason}）` : '随机产生'}`, actor);
      await this.audit.record(m, actor, {
        action: 'meeting.scheduled', entityType: 'case', entityId: caseId,
        summary: `案件 ${kase.caseNumber} 安排评价会议，组长（编号${chair}）${dto.chairEvaluatorId ? `由联席办指定：${dto.chairReason}` : '随机产生'}`,
        after: { meetingId: meeting.id, scheduledAt, place: dto.place, chairEvaluatorId: chair, voteRule: meeting.voteRule },
      });
      return meeting;
    });
  }

  /** Opening the meeting unseals the names to the panel and starts the first step. */
  async open(meetingId: number, actor: Actor): Promise<Meeting> {
    return this.uow.run(async (m) => {
      const meeting = await this.get(meetingId, m);
      if (meeting.status !== 'scheduled') throw new DomainError('invalid_state', '会议已经开始或已结束');
      const now = this.clock.now().getTime();
      await m.update(Meeting, { id: meetingId }, { status: 'open', openedAt: now });
      await m.update(EvaluationStep, { meetingId, step: 'facts' }, { status: 'open', openedAt: now });
      await this.cases.transition(m, meeting.caseId, 'evaluating', '评价会议开始，进入事实评价', actor);
      await this.audit.record(m, actor, { action: 'meeting.opened', entityType: 'meeting', entityId: meetingId, summary: `评价会议开始（案件编号 ${meeting.caseId}），评价组成员名单解封` });
      return { ...meeting, status: 'open', openedAt: now };
    });
  }

  async get(meetingId: number, m: EntityManager = this.dataSource.manager): Promise<Meeting> {
    const meeting = await m.findOneBy(Meeting, { id: meetingId });
    if (!meeting) throw new DomainError('not_found', '找不到该评价会议');
    return meeting;
  }

  async forCase(caseId: number): Promise<Meeting | null> {
    return this.dataSource.getRepository(Meeting).findOneBy({ caseId });
  }

  /** The seated members who accepted: the panel that evaluates. */
  async memberIds(m: EntityManager, panelId: number): Promise<number[]> {
    return (await m.find(PanelMember, { where: { panelId, state: 'accepted' }, order: { seat: 'ASC' } })).map((pm) => pm.evaluatorId);
  }

  /** Refuses anyone not on the meeting's panel with 404, as if the meeting did not exist for them. */
  async asMember(meetingId: number, evaluatorId: number, m: EntityManager = this.dataSource.manager): Promise<{ meeting: Meeting; members: number[] }> {
    const meeting = await this.get(meetingId, m);
    const members = await this.memberIds(m, meeting.panelId);
    if (!members.includes(evaluatorId)) throw new DomainError('not_found', '找不到该评价会议');
    return { meeting, members };
  }

  async membersWithNames(meeting: Meeting) {
    const ids = await this.memberIds(this.dataSource.manager, meeting.panelId);
    const people = await this.dataSource.getRepository(Evaluator).findBy({ id: In(ids) });
    return ids.map((id) => {
      const e = people.find((p) => p.id === id)!;
      return { id, name: e.name, categoryLabel: CATEGORY_LABELS[e.category], chair: id === meeting.chairEvaluatorId };
    });
  }

  /** A member's meetings, each with its case's number and title: the member has read the dossier, and a time and a room alone do not tell two meetings apart. */
  async meetingsOf(evaluatorId: number): Promise<(Meeting & { caseNumber: string; caseTitle: string })[]> {
    const meetings = await this.dataSource.getRepository(Meeting).createQueryBuilder('mt')
      .innerJoin(PanelMember, 'pm', 'pm.panelId = mt.panelId AND pm.evaluatorId = :evaluatorId AND pm.state = :accepted', { evaluatorId, accepted: 'accepted' })
      .orderBy('mt.scheduledAt', 'DESC').getMany();
    const cases = await this.dataSource.getRepository(PetitionCase).findBy({ id: In(meetings.map((mt) => mt.caseId)) });
    return meetings.map((mt) => {
      const kase = cases.find((c) => c.id === mt.caseId)!;
      return Object.assign(mt, { caseNumber: kase.caseNumber, caseTitle: kase.title });
    });
  }

  async steps(meetingId: number, m: EntityManager = this.dataSource.manager): Promise<EvaluationStep[]> {
    return m.find(EvaluationStep, { where: { meetingId }, order: { position: 'ASC' } });
  }
}
