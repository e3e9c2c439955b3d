import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Between, DataSource, EntityManager, In, IsNull, Not } from 'typeorm';
import { AuditChainService } from '../audit/audit-chain.service';
import { Clock } from '../common/clock';
import { displayInZone, isoInZone } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { BackupService } from '../database/backup.service';
import { rawRows } from '../database/raw-rows';
import { UnitOfWork } from '../database/unit-of-work';
import { Department } from '../departments/department.entity';
import { PanelMember } from '../draws/panel.entity';
import { Measure, Meeting } from '../evaluations/evaluation.entities';
import { NotificationsService } from '../notifications/notifications.service';
import { NotificationTransport } from '../notifications/notification-transport';
import { taskState } from './domain/task-flow';
import { daysLeft, dueText, warningLevel } from './domain/warning-level';
import { calendarOf, firstWorkingDay, previousMonth, WorkCalendar } from './domain/working-days';
import { claimNotice } from './notice-claim';
import { ReportsService } from './reports.service';

/** Days before a deadline on which the department is reminded. */
const REMIND_DAYS_BEFORE = [3, 1];
const DAY = 86_400_000;

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
  private calendar: WorkCalendar | undefined;

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
    const digest = due && (await this.once(`digest:${today}`, now, (m) => this.sendDigest(m, today, now))) !== null;
    if (due) {
      // The day's audit chain head, published (a row and a file to copy off the machine); then
      // entries older than six calendar months move to a checked archive.
      await this.once(`audit-head:${today}`, now, async (m) => this.chain.exportHead(m, today));
      await this.once(`audit-archive:${today}`, now, async (m) => this.chain.archiveOld(m));
    }
    // The nightly online backup, claimed only once it is written (a failure is retried next tick).
    let backup: string | null = null;
    if (time >= this.config.BACKUP_TIME && !(await this.sent(`backup:${today}`))) {
      const written = await this.backups.backup();
      if ((await this.once(`backup:${today}`, now, async () => this.backups.prune())) !== null) backup = written.file;
    }
    const reminders = (await this.remindDepartments(now)) + (await this.remindEvaluators(now));
    let report: string | null = null;
    this.calendar ??= calendarOf(this.config.HOLIDAYS, this.config.MAKEUP_WORKDAYS);
    if (due && today === firstWorkingDay(Number(today.slice(0, 4)), Number(today.slice(5, 7)), this.calendar)) {
      const month = previousMonth(today.slice(0, 7));
      // Claimed in the transaction that stores it: one report per month, whoever renders first.
      if (!(await this.sent(`report:${month}`)) && (await this.reports.generate(month, null, `report:${month}`))) report = month;
    }
    return { digest, reminders, report, backup };
  }

  /** Whether a keyed notice has gone out: a plain read, so a tick opens no write transaction for it. */
  private async sent(key: string): Promise<boolean> {
    return (await rawRows(this.dataSource, `SELECT 1 FROM notice_sent WHERE key = ?`, [key])).length > 0;
  }

  /**
   * Sends a keyed notice once: skipped at once when already sent; otherwise claimed inside the
   * transaction that sends it, which decides between instances. Null when it was not sent here.
   */
  private async once<T>(key: string, now: number, send: (m: EntityManager) => Promise<T>): Promise<T | null> {
    if (await this.sent(key)) return null;
    return this.uow.run(async (m) => ((await claimNotice(m, key, now)) ? send(m) : null));
  }

  /** The red list of the day: each department's leader by SMS, its liaisons and the office in the app. */
  private async sendDigest(m: EntityManager, today: string, now: number): Promise<true> {
    const tz = this.config.APP_TIMEZONE;
    const open = await m.find(Measure, { where: { status: 'open', departmentId: Not(IsNull()) }, order: { dueAt: 'ASC' } });
    const red = open.filter((t) => warningLevel(t, now, tz) === 'red');
    const departments = await m.findBy(Department, { id: In([...new Set(red.map((t) => t.departmentId!))]) });
    for (const d of departments) {
      const own = red.filter((t) => t.departmentId === d.id);
      const text = `${d.name}今日红色预警${own.length}项：${own.map((t) => `任务#${t.id}${dueText(t.dueAt, now, tz)}`).join('；')}`;
      if (d.leaderPhone) await this.transport.send(m, { channel: 'sms', recipient: d.leaderPhone, body: `【天平】${d.leaderName ?? ''}您好，${text}。请督促按期办结。` });
      await this.notifications.notifyDepartment(m, d.id, `红色预警日报 ${today}`, text, '/department');
    }
    await this.notifications.notifyOffice(m, `红色预警日报 ${today}`, red.length ? `共${red.length}项任务已逾期或3天内到期，涉及${departments.length}个单位：${departments.map((d) => d.name).join('、')}` : '今日无红色预警任务', '/follow-up?level=red');
    return true;
  }

  /** 3 days and 1 day before a deadline, once per deadline (an extension gets its own). */
  private async remindDepartments(now: number): Promise<number> {
    const soon = await this.dataSource.getRepository(Measure).find({ where: { status: 'open', departmentId: Not(IsNull()), dueAt: Between(now, now + 4 * DAY) } });
    let sent = 0;
    for (const t of soon) {
      const days = daysLeft(t.dueAt!, now, this.config.APP_TIMEZONE);
      if (!REMIND_DAYS_BEFORE.includes(days) || taskState(t) === 'awaiting_confirmation') continue;
      const notice = await this.once(`remind:task:${t.id}:${t.dueAt}:${days}`, now, (m) =>
        this.notifications.notifyDepartment(m, t.departmentId!, `办结期限提醒：还剩${days}天`, `任务#${t.id}「${t.description}」将于${days}天后到期，请按期办结或及时申请延期。`, `/department/tasks/${t.id}`));
      if (notice !== null) sent++;
    }
    return sent;
  }

  /** Evaluators: an invitation with under a day left to answer, a meeting within a day. */
  private async remindEvaluators(now: number): Promise<number> {
    let sent = 0;
    const remind = async (key: string, evaluatorId: number, title: string, body: string, link: string) => {
      if ((await this.once(key, now, (m) => this.notifications.notifyEvaluator(m, evaluatorId, title, body, link))) !== null) sent++;
    };
    const lapsing = await this.dataSource.getRepository(PanelMember).find({ where: { state: 'invited', respondBy: Between(now + 1, now + DAY) } });
    for (const p of lapsing) await remind(`remind:invite:${p.id}`, p.evaluatorId, '评价邀请即将过期', '您有一项评价邀请将在24小时内过期，请登录系统确认是否参加。', '/inbox');
    const meetings = await this.dataSource.getRepository(Meeting).find({ where: { status: 'scheduled', scheduledAt: Between(now + 1, now + DAY) } });
    const members = meetings.length ? await this.dataSource.getRepository(PanelMember).find({ where: { panelId: In(meetings.map((mt) => mt.panelId)), state: 'accepted' } }) : [];
    for (const meeting of meetings) {
      const when = displayInZone(new Date(meeting.scheduledAt), this.config.APP_TIMEZONE);
      for (const p of members.filter((x) => x.panelId === meeting.panelId)) {
        await remind(`remind:meeting:${meeting.id}:${p.evaluatorId}`, p.evaluatorId, '评价会议提醒', `评价会议将于${when}在${meeting.place}举行，请提前阅卷。`, `/meetings/${meeting.id}`);
      }
    }
    return sent;
  }
}
