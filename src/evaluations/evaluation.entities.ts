import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { StepKey } from './domain/criteria';
import type { VoteChoice, VoteRule } from './domain/majority';
import type { StepStatus } from './domain/step-order';

/** The evaluation meeting (案件评价会议) of one case's confirmed panel. */
@Entity('meeting')
export class Meeting {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') caseId: number;
  @Column('integer') panelId: number;
  @Column('integer') scheduledAt: number;
  @Column('text') place: string;
  @Column('boolean') online: boolean;
  @Column('integer') chairEvaluatorId: number;
  @Column('text') chairChosenBy: 'random' | 'office';
  @Column('text', { nullable: true }) chairReason: string | null;
  @Column('text') voteRule: VoteRule;
  @Column('text') status: 'scheduled' | 'open' | 'closed';
  @Column('integer', { nullable: true }) openedAt: number | null;
  @Column('integer', { nullable: true }) closedAt: number | null;
  @Column('integer') createdAt: number;
}

@Entity('evaluation_step')
export class EvaluationStep {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') meetingId: number;
  @Column('text') step: StepKey;
  @Column('integer') position: number;
  @Column('text') status: StepStatus;
  @Column('integer', { nullable: true }) openedAt: number | null;
  @Column('integer', { nullable: true }) closedAt: number | null;
  /** JSON array of evaluator ids the chair recorded as absent when closing. */
  @Column('text') absentees: string;
}

/** One member's sheet for one step; `version` increases with every save (optimistic locking). */
@Entity('score_sheet')
export class ScoreSheet {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') stepId: number;
  @Column('integer') evaluatorId: number;
  @Column('text') status: 'draft' | 'submitted';
  @Column('text') answers: string;
  @Column('integer') version: number;
  @Column('integer', { nullable: true }) submittedAt: number | null;
  @Column('integer') updatedAt: number;
}

/** Every saved version of a sheet, append-only. */
@Entity('score_sheet_version')
export class ScoreSheetVersion {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') sheetId: number;
  @Column('integer') version: number;
  @Column('text') status: 'draft' | 'submitted';
  @Column('text') answers: string;
  @Column('text', { nullable: true }) reason: string | null;
  @Column('integer') at: number;
}

@Entity('resolution')
export class Resolution {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') meetingId: number;
  @Column('integer') version: number;
  @Column('text') status: 'draft' | 'voting' | 'adopted' | 'rejected' | 'superseded';
  /** JSON ResolutionItem[] */
  @Column('text') items: string;
  /** JSON per item: tally and passed. */
  @Column('text', { nullable: true }) outcome: string | null;
  /** Why a correction was made (versions after the first). */
  @Column('text', { nullable: true }) reason: string | null;
  @Column('integer') createdAt: number;
  @Column('integer', { nullable: true }) votingOpenedAt: number | null;
  @Column('integer', { nullable: true }) decidedAt: number | null;
}

@Entity('vote')
export class Vote {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') resolutionId: number;
  @Column('text') itemKey: string;
  @Column('integer') evaluatorId: number;
  @Column('text') choice: VoteChoice;
  @Column('text', { nullable: true }) dissent: string | null;
  @Column('integer') at: number;
}

/** A measure the adopted resolution assigns, to be followed up (the Follow-up issue). */
@Entity('measure')
export class Measure {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') caseId: number;
  @Column('integer') resolutionId: number;
  @Column('text') kind: 'solve' | 'relief' | 'explanation' | 'psychological' | 'legal' | 'routing';
  @Column('integer', { nullable: true }) departmentId: number | null;
  @Column('text') description: string;
  @Column('integer', { nullable: true }) days: number | null;
  @Column('integer', { nullable: true }) dueAt: number | null;
  @Column('text') status: 'open' | 'done' | 'cancelled';
  @Column('integer') createdAt: number;
  /** Completion reported by the department, awaiting the office's confirmation. */
  @Column('integer', { nullable: true }) reportedAt: number | null;
  /** A pending extension request: the deadline asked for, and why. */
  @Column('integer', { nullable: true }) extensionUntil: number | null;
  @Column('text', { nullable: true }) extensionReason: string | null;
  @Column('integer', { nullable: true }) doneAt: number | null;
}
