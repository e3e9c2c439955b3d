import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { TaskAction } from './domain/task-flow';

/** One step on a task's timeline (append-only). */
@Entity('measure_event')
export class MeasureEvent {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') measureId: number;
  @Column('integer') at: number;
  @Column('text') action: TaskAction;
  @Column('text') text: string;
  @Column('integer', { nullable: true }) dueBefore: number | null;
  @Column('integer', { nullable: true }) dueAfter: number | null;
  @Column('integer', { nullable: true }) userId: number | null;
  @Column('text') actorName: string;
  @Column('text') actorRole: string;
}

/** A file sent with a progress or completion report, stored by SHA-256 with the case files. */
@Entity('measure_attachment')
export class MeasureAttachment {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') eventId: number;
  @Column('text') fileName: string;
  @Column('text') mimeType: string;
  @Column('integer') size: number;
  @Column('text') sha256: string;
}

/** A notice sent once (a day's digest, a reminder): its key is the guard against sending it twice. */
@Entity('notice_sent')
export class NoticeSent {
  @PrimaryColumn('text') key: string;
  @Column('integer') sentAt: number;
}

/** 回访: the petitioner asked after the measures; closes the case as settled or not. */
@Entity('return_visit')
export class ReturnVisit {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') caseId: number;
  @Column('integer') visitedAt: number;
  @Column('text') satisfaction: 'satisfied' | 'basically_satisfied' | 'dissatisfied';
  @Column('boolean') stoppedPetitioning: boolean;
  @Column('text') outcome: 'settled' | 'unsettled';
  @Column('text') note: string;
  @Column('integer', { nullable: true }) recordedBy: number | null;
  @Column('integer') recordedAt: number;
}

/** A later review request (复查/复核) about the same matter, linked to the evaluated case. */
@Entity('case_link')
export class CaseLink {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') caseId: number;
  @Column('integer') linkedCaseId: number;
  @Column('text') kind: 'review' | 'recheck';
  @Column('text') note: string;
  @Column('integer') createdAt: number;
}

@Entity('monthly_report')
export class MonthlyReport {
  @PrimaryGeneratedColumn() id: number;
  @Column('text') month: string;
  @Column('text') figures: string;
  @Column('text') sha256: string;
  @Column('integer') bytes: number;
  @Column('boolean') automatic: boolean;
  @Column('integer') generatedAt: number;
  @Column('integer', { nullable: true }) generatedBy: number | null;
}
