import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Category } from './domain/categories';

export type ApplicationStatus = 'pending' | 'approved' | 'rejected';

/** A voluntary application to join the pool (自愿申请), awaiting review (审核批准). */
@Entity('application')
export class Application {
  @PrimaryGeneratedColumn() id: number;
  @Column('text') name: string;
  @Column('text') gender: 'male' | 'female';
  @Column('integer') birthYear: number;
  @Column('text') phone: string;
  @Column('text') idNumber: string;
  @Column('text') employer: string;
  @Column('text') title: string;
  @Column('text') category: Category;
  @Column('text') expertise: string;
  @Column('text') district: string;
  @Column('text') township: string;
  @Column('text') bio: string;
  @Column('boolean') consent: boolean;
  @Column('text') status: ApplicationStatus;
  @Column('text', { nullable: true }) decisionReason: string | null;
  @Column('integer', { nullable: true }) reviewedAt: number | null;
  @Column('integer', { nullable: true }) reviewedBy: number | null;
  @Column('integer', { nullable: true }) evaluatorId: number | null;
  @Column('integer') submittedAt: number;
}
