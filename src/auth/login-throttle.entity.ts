import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Failed log-ins by user name, including names that do not exist (same answers for both). */
@Entity('login_throttle')
export class LoginThrottle {
  @PrimaryColumn('text') username: string;
  @Column('integer') failures: number;
  @Column('integer', { nullable: true }) lockedUntil: number | null;
  @Column('integer') lastFailureAt: number;
}
