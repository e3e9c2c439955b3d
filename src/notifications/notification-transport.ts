import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { OutboxMessage } from '../draws/notification.entity';

export interface OutgoingMessage {
  channel: 'sms' | 'email';
  recipient: string;
  body: string;
}

/**
 * The one door for SMS and e-mail. This demo transport writes each message to the outbox
 * table, in the caller's transaction, where the office can read it; a real gateway would
 * replace this class (and deliver after commit).
 */
@Injectable()
export class NotificationTransport {
  constructor(private readonly clock: Clock) {}

  async send(manager: EntityManager, message: OutgoingMessage): Promise<void> {
    await manager.insert(OutboxMessage, { ...message, createdAt: this.clock.now().getTime() });
  }
}
