import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Category } from './domain/categories';
import type { EvaluatorStatus } from './domain/evaluator-status';

/** A member of the talent pool (评价员人才库). */
@Entity('evaluator')
export class Evaluator {
  @PrimaryGeneratedColumn() id: number;
  @Column('text') name: string;
  @Column('text') gender: 'male' | 'female';
  @Column('integer') birthYear: number;
  @Column('text') phone: string;
  @Column('text') idNumber: string;
  @Column('text') employer: string;
  /** Set when the employer is one of the responsible departments (feeds avoidance). */
  @Column('integer', { nullable: true }) employerDepartmentId: number | null;
  @Column('text') title: string;
  @Column('text') category: Category;
  /** Expertise areas joined with ",". */
  @Column('text') expertise: string;
  @Column('text') district: string;
  @Column('text') township: string;
  @Column('text') bio: string;
  @Column('text') status: EvaluatorStatus;
  @Column('text') source: 'application' | 'import' | 'demo';
  @Column('integer') joinedAt: number;
  @Column('integer') updatedAt: number;
}
