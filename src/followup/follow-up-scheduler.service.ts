import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DataSource, In, IsNull, Not } from 'typeorm';
import { AuditChainService } from '../audit/audit-chain.service';
import { Clock } from '../common/clock';
import { isoInZone } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { BackupService } from '../database/backup.service';
import { UnitOfWork } from '../database/unit-of-work';
import { Department } from '../departments/department.entity';
import { PanelMember } from '../draws/panel.entity';
import { RESPONSE_HOURS } from '../draws/panel.service';
import { Measure, Meeting } from '../evaluations/evaluation.entities';
import { NotificationsService } from '../notifications/notifications.service';
import { NotificationTransport } from '../notifications/notification-transport';
import { taskState } from './domain/task-flow';
import { daysLeft, warningLevel } from './domain/warning-level';
import { calendarOf, firstWorkingDay, previousMonth } from './domain/working-days';
import { NoticeSent } from './followup.entities';
import { claimNotice } from './notice-claim';
import { ReportsService } from './reports.service';

/** Days before a deadline on which the department is reminded. */
const REMIND_DAYS_BEFORE = [3, 1];

export interface TickResult {
  backup: string | null;
  digest: boolean;
  reminders: number;
  report: string | null;
}

/**
 * The clockwork of follow-up, checked every minute: the daily red list at DIGEST_TIME, reminders
 * to departments before their deadlines and to evaluators before theirs, and the monthly report
 * on the first working day. Each notice is keyed in notice_sent inside the transaction that sends
 * it, so a restart, a second instance or a second tick within the minute never sends it twice.
 */
@Injectable()
export class FollowUpScheduler implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('FollowUpScheduler');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<TickResult> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly notifications: NotificationsService,
    private readonly transport: NotificationTransport,
    private readonly reports: ReportsService,
    private readonly chain: AuditChainService,
    private readonly backups: BackupService,
  ) {}

  onModuleInit(): void {
    if (!this.config.SCHEDULER_ENABLED) return;
    this.timer = setInterval(() => void this.tick().catch((e: Error) => this.logger.error(`follow-up tick failed: ${e.message}`)), 60_000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One round of everything that is due now; overlapping calls share the round in progress. */
  tick(): Promise<TickResult> {
    this.running ??= this.round().finally(() => (this.running = null));
    return this.running;
  }

  private async round(): Promise<TickResult> {
    const now = this.clock.now().getTime();
    const local = isoInZone(new Date(now), this.config.APP_TIMEZONE);
    const [today, time] = [local.slice(0, 10), local.slice(11, 16)];
    const due = time >= this.config.DIGEST_TIME;
    const digest = due ? await this.digest(today, now) : false;
    // The day's audit chain head, published once (a row and a file to copy off the machine).
    if (due) await this.uow.run(async () => (this.claim(`audit-head:${today}`, now) ? this.chain.exportHead(today) : null));
    // Audit entries older than six calendar months move to a checked archive, once a day.
    if (due) await this.uow.run(async () => (this.claim(`audit-archive:${today}`, now) ? this.chain.archiveOld() : null));
    // The nightly online backup, once a day whoever ticks first; then old ones are pruned.
    let backup: string | null = null;
    if (time >= this.config.BACKUP_TIME && (await this.uow.run(async () => this.claim(`backup:${today}`, now)))) {
      backup = (await this.backups.backup()).file;
      this.backups.prune();
    }
    const reminders = (await this.remindDepartments(now)) + (await this.remindEvaluators(now));
    let report: string | null = null;
    const calendar = calendarOf(this.config.HOLIDAYS, this.config.MAKEUP_WORKDAYS);
    if (due && today === firstWorkingDay(Number(today.slice(0, 4)), Number(today.slice(5, 7)), calendar)) {
      const month = previousMonth(today.slice(0, 7));
      // Claimed in the transaction that stores it: one report per month, whoever renders first.
      const exists = await this.dataSource.getRepository(NoticeSent).existsBy({ key: `report:${month}` });
      if (!exists && (await this.reports.generate(month, null, `report:${month}`))) report = month;
    }
    return { digest, reminders, report, backup };
  }

  /** Marks a notice as sent inside the sending transaction; false if it already was (by any process). */
  private claim(key: string, now: number): boolean {
    return claimNotice(this.dataSource, key, now);
  }

  /** The red list of the day: each department's leader by SMS, its liaisons and the office in the app. */
  private async digest(today: string, now: number): Promise<boolean> {
    return this.uow.run(async (m) => {
      if (!this.claim(`digest:${today}`, now)) return false;
      const open = await m.find(Measure, { where: { status: 'open', departmentId: Not(IsNull()) }, order: { dueAt: 'ASC' } });
      const red = open.filter((t) => warningLevel(t, now, this.config.APP_TIMEZONE) === 'red');
      const departments = await m.findBy(Department, { id: In([...new Set(red.map((t) => t.departmentId!))]) });
      const line = (t: Measure) => `任务#${t.id}${daysLeft(t.dueAt!, now, this.config.APP_TIMEZONE) < 0 ? `逾期${-daysLeft(t.dueAt!, now, this.config.APP_TIMEZONE)}天` : `${daysLeft(t.dueAt!, now, this.config.APP_TIMEZONE)}天内到期`}`;
      for (const d of departments) {
        const own = red.filter((t) => t.departmentId === d.id);
        const text = `${d.name}今日红色预警${own.length}项：${own.map(line).join('；')}`;
        if (d.leaderPhone) await this.transport.send(m, { channel: 'sms', recipient: d.leaderPhone, body: `【天平】${d.leaderName ?? ''}您好，${text}。请督促按期办结。` });
        await this.notifications.notifyDepartment(m, d.id, `红色预警日报 ${today}`, text, '/department');
      }
      await this.notifications.notifyOffice(m, `红色预警日报 ${today}`, red.length ? `共${red.length}项任务已逾期或3天内到期，涉及${departments.length}个单位：${departments.map((d) => d.name).join('、')}` : '今日无红色预警任务', '/follow-up?level=red');
      return true;
    });
  }

  /** 3 days and 1 day before a deadline, once per deadline (an extension gets its own). */
  private async remindDepartments(now: number): Promise<number> {
    const open = await this.dataSource.getRepository(Measure).find({ where: { status: 'open', departmentId: Not(IsNull()), dueAt: Not(IsNull()) } });
    let sent = 0;
    for (const t of open) {
      const days = daysLeft(t.dueAt!, now, this.config.APP_TIMEZONE);
      if (!REMIND_DAYS_BEFORE.includes(days) || taskState(t) === 'awaiting_confirmation') continue;
      const done = await this.uow.run(async (m) => {
        if (!this.claim(`remind:task:${t.id}:${t.dueAt}:${days}`, now)) return false;
        await this.notifications.notifyDepartment(m, t.departmentId!, `办结期限提醒：还剩${days}天`, `任务#${t.id}「${t.description}」将于${days}天后到期，请按期办结或及时申请延期。`, `/department/tasks/${t.id}`);
        return true;
      });
      if (done) sent++;
    }
    return sent;
  }

  /** Evaluators: an invitation with under a day left to answer, a meeting within a day. */
  private async remindEvaluators(now: number): Promise<number> {
    let sent = 0;
    const invited = await this.dataSource.getRepository(PanelMember).find({ where: { state: 'invited' } });
    for (const p of invited) {
      const deadline = (p.invitedAt ?? now) + RESPONSE_HOURS * 3_600_000;
      if (deadline - now > 24 * 3_600_000 || deadline <= now) continue;
      if (await this.remindOnce(`remind:invite:${p.id}`, now, p.evaluatorId, '评价邀请即将过期', '您有一项评价邀请将在24小时内过期，请登录系统确认是否参加。', '/inbox')) sent++;
    }
    const meetings = await this.dataSource.getRepository(Meeting).find({ where: { status: 'scheduled' } });
    for (const meeting of meetings) {
      if (meeting.scheduledAt - now > 24 * 3_600_000 || meeting.scheduledAt <= now) continue;
      const members = await this.dataSource.getRepository(PanelMember).find({ where: { panelId: meeting.panelId, state: 'accepted' } });
      for (const p of members) {
        if (await this.remindOnce(`remind:meeting:${meeting.id}:${p.evaluatorId}`, now, p.evaluatorId, '评价会议提醒', `评价会议将于${isoInZone(new Date(meeting.scheduledAt), this.config.APP_TIMEZONE).slice(0, 16).replace('T', ' ')}在${meeting.place}举行，请提前阅卷。`, `/meetings/${meeting.id}`)) sent++;
      }
    }
    return sent;
  }

  private remindOnce(key: string, now: number, evaluatorId: number, title: string, body: string, link: string): Promise<boolean> {
    return this.uow.run(async (m) => {
      if (!this.claim(key, now)) return false;
      await this.notifications.notifyEvaluator(m, evaluatorId, title, body, link);
      return true;
    });
  }
}
