import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { UserAccount } from '../auth/user-account.entity';
import { Clock } from '../common/clock';
import { maskIdentifier } from '../common/masking';
import { Notification, OutboxMessage } from '../draws/notification.entity';
import { Evaluator } from '../pool/evaluator.entity';
import { NotificationTransport } from './notification-transport';

/** The evaluator's in-app inbox, plus an SMS through the transport for anything that needs an answer. */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly transport: NotificationTransport,
  ) {}

  async notifyEvaluator(m: EntityManager, evaluatorId: number, title: string, body: string, link: string | null): Promise<void> {
    await m.insert(Notification, { userId: null, evaluatorId, title, body, link, createdAt: this.clock.now().getTime(), readAt: null });
    const evaluator = await m.findOneBy(Evaluator, { id: evaluatorId });
    if (evaluator) await this.transport.send(m, { channel: 'sms', recipient: evaluator.phone, body: `【天平】${title}：${body}` });
  }

  /** In-app notices to every active account of the office (admin and staff). */
  async notifyOffice(m: EntityManager, title: string, body: string, link: string | null): Promise<void> {
    await this.notifyAccounts(m, await m.find(UserAccount, { where: { role: In(['admin', 'staff']), active: true } }), title, body, link);
  }

  /** In-app notices to a department's liaisons. */
  async notifyDepartment(m: EntityManager, departmentId: number, title: string, body: string, link: string | null): Promise<void> {
    await this.notifyAccounts(m, await m.find(UserAccount, { where: { role: 'liaison', departmentId, active: true } }), title, body, link);
  }

  private async notifyAccounts(m: EntityManager, accounts: UserAccount[], title: string, body: string, link: string | null): Promise<void> {
    const at = this.clock.now().getTime();
    if (accounts.length) await m.insert(Notification, accounts.map((a) => ({ userId: a.id, evaluatorId: null, title, body, link, createdAt: at, readAt: null })));
  }

  /** The latest notices to a signed-in account (liaison, office). */
  forUser(userId: number, take = 20) {
    return this.dataSource.getRepository(Notification).find({ where: { userId }, order: { createdAt: 'DESC', id: 'DESC' }, take });
  }

  inbox(evaluatorId: number) {
    return this.dataSource.getRepository(Notification).find({ where: { evaluatorId }, order: { createdAt: 'DESC', id: 'DESC' }, take: 100 });
  }

  unreadCount(evaluatorId: number): Promise<number> {
    return this.dataSource.getRepository(Notification).countBy({ evaluatorId, readAt: IsNull() });
  }

  /** The demo outbox for the office, newest first, with recipients masked. */
  async outbox(limit = 100) {
    const rows = await this.dataSource.getRepository(OutboxMessage).find({ order: { id: 'DESC' }, take: limit });
    return rows.map((r) => ({ ...r, recipient: maskIdentifier(r.recipient) }));
  }
}
