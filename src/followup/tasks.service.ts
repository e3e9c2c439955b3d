import { Injectable } from '@nestjs/common';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { UserAccount } from '../auth/user-account.entity';
import { AttachmentStore } from '../cases/attachments.service';
import { CasesService } from '../cases/cases.service';
import { PetitionCase } from '../cases/petition-case.entity';
import { Actor, actorMay } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { UnitOfWork } from '../database/unit-of-work';
import { Department } from '../departments/department.entity';
import { Measure } from '../evaluations/evaluation.entities';
import { NotificationsService } from '../notifications/notifications.service';
import { isOfficeDecision, refusal, TASK_ACTION_LABELS, TASK_ACTIONS, TASK_STATE_LABELS, TaskAction, taskState } from './domain/task-flow';
import { dueText, endOfLocalDate, warningLevel, WARNING_LABELS, WarningLevel } from './domain/warning-level';
import { ExtensionRequestDto, TaskDecisionDto, TaskReportDto } from './dto/follow-up.dto';
import { openTaskCount } from './closing.service';
import { MeasureAttachment, MeasureEvent } from './followup.entities';

export type TaskRow = Measure & {
  caseNumber: string;
  caseTitle: string;
  departmentName: string | null;
  level: WarningLevel;
  levelLabel: string;
  state: ReturnType<typeof taskState>;
  stateLabel: string;
  due: string;
};

type UploadedFile = { buffer: Buffer; originalname: string } | undefined;

/**
 * Follow-up tasks: every adopted measure with a department is that department's task. The
 * liaison reports progress or completion (with a file) or asks for more time; the office
 * decides; each step lands on the task's append-only timeline and in the audit log.
 */
@Injectable()
export class TasksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly cases: CasesService,
    private readonly files: AttachmentStore,
    private readonly notifications: NotificationsService,
  ) {}

  /** Every live task (not cancelled), with its warning, most urgent first. */
  async list(filter: { departmentId?: number; level?: string } = {}): Promise<TaskRow[]> {
    const measures = await this.dataSource.getRepository(Measure).find({
      where: { status: Not('cancelled'), departmentId: filter.departmentId ?? Not(IsNull()) },
      order: { dueAt: 'ASC', id: 'ASC' },
    });
    const rows = await this.decorate(measures);
    const order: Record<WarningLevel, number> = { red: 0, yellow: 1, blue: 2, none: 3 };
    return rows
      .filter((r) => !filter.level || r.level === filter.level)
      .sort((a, b) => order[a.level] - order[b.level] || (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity));
  }

  /** A task with its timeline; a liaison may see only their own department's (else 404). */
  async get(id: number, user: Pick<UserAccount, 'role' | 'departmentId'>) {
    const measure = await this.dataSource.getRepository(Measure).findOneBy({ id, status: Not('cancelled') });
    if (!measure || measure.departmentId === null || (user.role === 'liaison' && measure.departmentId !== user.departmentId)) {
      throw new DomainError('not_found', '没有找到该任务');
    }
    const [task] = await this.decorate([measure]);
    const events = await this.dataSource.getRepository(MeasureEvent).find({ where: { measureId: id }, order: { id: 'ASC' } });
    const attachments = events.length ? await this.dataSource.getRepository(MeasureAttachment).findBy({ eventId: In(events.map((e) => e.id)) }) : [];
    return {
      task,
      events: events.map((e) => ({ ...e, actionLabel: TASK_ACTION_LABELS[e.action], attachments: attachments.filter((a) => a.eventId === e.id) })),
      may: Object.fromEntries((Object.keys(TASK_ACTIONS) as TaskAction[]).map((a) => [a, refusal(a, task.state) === null])) as Record<TaskAction, boolean>,
    };
  }

  noticesFor(userId: number) {
    return this.notifications.forUser(userId, 10);
  }

  async attachment(taskId: number, attachmentId: number, user: Pick<UserAccount, 'role' | 'departmentId'>) {
    await this.get(taskId, user);
    const attachment = await this.dataSource.getRepository(MeasureAttachment).findOneBy({ id: attachmentId });
    const event = attachment ? await this.dataSource.getRepository(MeasureEvent).findOneBy({ id: attachment.eventId }) : null;
    if (!attachment || event?.measureId !== taskId) throw new DomainError('not_found', '找不到该附件');
    return { attachment, content: await this.files.read(attachment.sha256) };
  }

  report(id: number, kind: 'progress' | 'completion', dto: TaskReportDto, file: UploadedFile, actor: Actor) {
    return this.act(id, kind, actor, { text: dto.text, file });
  }

  requestExtension(id: number, dto: ExtensionRequestDto, actor: Actor) {
    // The DTO checks the shape; 2026-02-31 has it too, and would roll over to 3 March.
    const [y, m, d] = dto.until.split('-').map(Number);
    const probe = new Date(Date.UTC(y, m - 1, d));
    if (probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) throw new DomainError('validation', '日期无效', { until: '没有这一天，请重新选择日期' });
    const until = endOfLocalDate(dto.until, this.config.APP_TIMEZONE);
    return this.act(id, 'extension_request', actor, { text: dto.reason, until });
  }

  /** An office decision named by the route; anything else is "not found". */
  decide(id: number, action: string, dto: TaskDecisionDto, actor: Actor) {
    if (!isOfficeDecision(action)) throw new DomainError('not_found', '没有这种操作');
    if ((action === 'extension_refused' || action === 'returned') && !dto.reason) {
      throw new DomainError('validation', action === 'returned' ? '退回须说明原因' : '不同意延期须说明原因', { reason: '请填写原因' });
    }
    return this.act(id, action, actor, { text: dto.reason ?? '' });
  }

  private async act(id: number, action: TaskAction, actor: Actor, input: { text: string; file?: UploadedFile; until?: number }) {
    const stored = input.file ? await this.files.save(input.file.buffer) : null;
    return this.uow.run(async (m) => {
      const measure = await m.findOneBy(Measure, { id, status: Not('cancelled') });
      const department = TASK_ACTIONS[action].by === 'department';
      if (!measure || measure.departmentId === null || (department && (actor.role !== 'liaison' || measure.departmentId !== actor.departmentId))) {
        throw new DomainError('not_found', '没有找到该任务');
      }
      if (!department && !actorMay(actor, 'followup.manage')) throw new DomainError('forbidden', '只有联席办可以作出该决定');
      const state = taskState(measure);
      const why = refusal(action, state);
      if (why) throw new DomainError('invalid_state', why);
      const now = this.clock.now().getTime();
      if (action === 'extension_request' && input.until! <= Math.max(measure.dueAt ?? 0, now)) {
        throw new DomainError('validation', '延期后的日期须晚于原期限', { until: '延期后的日期须晚于原期限和今天' });
      }
      // A resolution's measure is settled within months, not years: a far date is a slip.
      if (action === 'extension_request' && input.until! > Math.max(measure.dueAt ?? 0, now) + 365 * 86_400_000) {
        throw new DomainError('validation', '延期不能超过一年', { until: '延期后的日期不能晚于原期限一年以后' });
      }
      const changes: Partial<Measure> = {};
      let dueAfter: number | null = null;
      switch (action) {
        case 'completion': changes.reportedAt = now; break;
        case 'extension_request': Object.assign(changes, { extensionUntil: input.until, extensionReason: input.text }); dueAfter = input.until!; break;
        case 'extension_approved': Object.assign(changes, { dueAt: measure.extensionUntil, extensionUntil: null, extensionReason: null }); dueAfter = measure.extensionUntil; break;
        case 'extension_refused': Object.assign(changes, { extensionUntil: null, extensionReason: null }); break;
        case 'confirmed': Object.assign(changes, { status: 'done', doneAt: now, extensionUntil: null, extensionReason: null }); break;
        case 'returned': changes.reportedAt = null; break;
        case 'progress': break;
      }
      if (Object.keys(changes).length) await m.update(Measure, { id }, changes);
      const event = await m.save(MeasureEvent, m.create(MeasureEvent, {
        measureId: id, at: now, action, text: input.text, dueBefore: measure.dueAt, dueAfter, userId: actor.userId, actorName: actor.displayName || actor.username, actorRole: actor.role,
      }));
      if (stored && input.file) {
        await m.insert(MeasureAttachment, { eventId: event.id, fileName: input.file.originalname.slice(0, 200), mimeType: stored.mimeType, size: input.file.buffer.length, sha256: stored.sha256 });
      }
      const kase = await m.findOneByOrFail(PetitionCase, { id: measure.caseId });
      const label = TASK_ACTION_LABELS[action];
      await this.audit.record(m, actor, {
        action: `task.${action}`, entityType: 'measure', entityId: id,
        summary: `案件 ${kase.caseNumber} 任务#${id}：${label}${input.text ? `——${input.text.slice(0, 80)}` : ''}`,
        before: { state, dueAt: measure.dueAt }, after: { ...changes, attachment: stored?.sha256 ?? null },
      });
      const link = `/follow-up/tasks/${id}`;
      if (department) {
        await this.notifications.notifyOffice(m, `${label}：${kase.caseNumber}`, `${actor.displayName}就任务#${id}${label}${input.text ? `：${input.text.slice(0, 60)}` : ''}`, link);
      } else {
        await this.notifications.notifyDepartment(m, measure.departmentId, `${label}：${kase.caseNumber}`, `联席办就任务#${id}${label}${input.text ? `：${input.text.slice(0, 60)}` : ''}`, `/department/tasks/${id}`);
      }
      if (action === 'confirmed' && (await openTaskCount(m, measure.caseId)) === 0) {
        await this.cases.event(m, measure.caseId, null, null, '各责任单位任务均已办结，可安排回访', actor);
      }
      return { id, state: taskState({ ...measure, ...changes } as Measure), stateLabel: TASK_STATE_LABELS[taskState({ ...measure, ...changes } as Measure)] };
    });
  }

  private async decorate(measures: Measure[]): Promise<TaskRow[]> {
    const now = this.clock.now().getTime();
    const tz = this.config.APP_TIMEZONE;
    const cases = measures.length ? await this.dataSource.getRepository(PetitionCase).find({ where: { id: In([...new Set(measures.map((m) => m.caseId))]) }, select: { id: true, caseNumber: true, title: true } }) : [];
    const departments = await this.dataSource.getRepository(Department).find();
    return measures.map((m) => {
      const level = warningLevel(m, now, tz);
      const state = taskState(m);
      const kase = cases.find((c) => c.id === m.caseId);
      return {
        ...m, caseNumber: kase?.caseNumber ?? '', caseTitle: kase?.title ?? '', departmentName: departments.find((d) => d.id === m.departmentId)?.name ?? null,
        level, levelLabel: WARNING_LABELS[level], state, stateLabel: TASK_STATE_LABELS[state], due: dueText(m.dueAt, now, tz),
      };
    });
  }
}
