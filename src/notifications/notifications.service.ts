import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
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
