import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An in-app message in an evaluator's inbox. */
@Entity('notification')
export class Notification {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer', { nullable: true }) userId: number | null;
  @Column('integer', { nullable: true }) evaluatorId: number | null;
  @Column('text') title: string;
  @Column('text') body: string;
  @Column('text', { nullable: true }) link: string | null;
  @Column('integer') createdAt: number;
  @Column('integer', { nullable: true }) readAt: number | null;
}

/** What the demo SMS/e-mail transport "sent": the office can read it. */
@Entity('outbox')
export class OutboxMessage {
  @PrimaryGeneratedColumn() id: number;
  @Column('text') channel: 'sms' | 'email';
  @Column('text') recipient: string;
  @Column('text') body: string;
  @Column('integer') createdAt: number;
}
