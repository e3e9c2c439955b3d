import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { EvaluatorStatus } from './domain/evaluator-status';

@Entity('evaluator_status_change')
export class EvaluatorStatusChange {
  @PrimaryGeneratedColumn() id: number;
  @Column('integer') evaluatorId: number;
  @Column('text', { nullable: true }) fromStatus: EvaluatorStatus | null;
  @Column('text') toStatus: EvaluatorStatus;
  @Column('text') reason: string;
  @Column('integer') at: number;
  @Column('integer', { nullable: true }) actorId: number | null;
  @Column('text') actorName: string;
}
