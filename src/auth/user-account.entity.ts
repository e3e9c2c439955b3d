import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from './domain/roles';

@Entity('user_account')
export class UserAccount {
  @PrimaryGeneratedColumn() id: number;
  @Column('text') username: string;
  @Column('text') displayName: string;
  @Column('text') passwordHash: string;
  @Column('text') role: Role;
  /** Set for department liaisons: the one department whose work they see. */
  @Column('integer', { nullable: true }) departmentId: number | null;
  /** Set for evaluators: their pool record. */
  @Column('integer', { nullable: true }) evaluatorId: number | null;
  @Column('boolean') active: boolean;
  /** Initial and reset passwords must be replaced at the next log-in. */
  @Column('boolean') mustChangePassword: boolean;
  @Column('integer') passwordChangedAt: number;
  @Column('integer') createdAt: number;
  @Column('integer', { nullable: true }) lastLoginAt: number | null;
  /** Optional TOTP second factor: the shared secret (set at enrolment), on since, last time step used. */
  @Column('text', { nullable: true, select: false }) totpSecret: string | null;
  @Column('integer', { nullable: true }) totpEnabledAt: number | null;
  @Column('integer', { nullable: true, select: false }) totpLastStep: number | null;
}

/** The fields of a new, active account; everything else starts empty. User names are kept lower-case (log-in ignores case). */
export function newUserAccount(
  fields: Pick<UserAccount, 'username' | 'displayName' | 'passwordHash' | 'role'> &
    Partial<Pick<UserAccount, 'departmentId' | 'evaluatorId' | 'mustChangePassword'>>,
  now: number,
): Omit<UserAccount, 'id'> {
  return {
    departmentId: null,
    evaluatorId: null,
    mustChangePassword: true,
    ...fields,
    username: fields.username.toLowerCase(),
    active: true,
    passwordChangedAt: now,
    createdAt: now,
    lastLoginAt: null,
    totpSecret: null,
    totpEnabledAt: null,
    totpLastStep: null,
  };
}
