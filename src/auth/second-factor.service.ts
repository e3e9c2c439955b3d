import { Injectable } from '@nestjs/common';
import { generateSecret, generateURI, verifySync } from 'otplib';
import QRCode from 'qrcode';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { zhCN } from '../common/i18n/zh-CN';
import { rawRun } from '../database/raw-rows';
import { UnitOfWork } from '../database/unit-of-work';
import { UserAccount } from './user-account.entity';

const ISSUER = '天平信访评价';

/**
 * The optional second factor: RFC 6238 time-based codes (otplib), the kind phone authenticator
 * apps show. Enrolment shows a secret as a QR code; the factor is on once a code from it checks.
 * A code is accepted one step either side of now, and never twice (the last step is kept).
 */
@Injectable()
export class SecondFactorService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async status(userId: number) {
    const row = await this.account(this.dataSource.manager, userId);
    return { enabled: row.totpEnabledAt !== null, enabledAt: row.totpEnabledAt, pending: row.totpSecret !== null && row.totpEnabledAt === null };
  }

  /**
   * The set-up under way (a secret made, not yet confirmed with a code), shown again: a user
   * who mistyped the code keeps the key already scanned into the phone.
   */
  async pendingSetup(userId: number, username: string): Promise<{ secret: string; uri: string; qrSvg: string } | null> {
    const row = await this.account(this.dataSource.manager, userId);
    return row.totpSecret && !row.totpEnabledAt ? this.setupOf(row.totpSecret, username) : null;
  }

  private async setupOf(secret: string, username: string): Promise<{ secret: string; uri: string; qrSvg: string }> {
    const uri = generateURI({ issuer: ISSUER, label: username, secret });
    return { secret, uri, qrSvg: await QRCode.toString(uri, { type: 'svg', margin: 1 }) };
  }

  /** A new secret for an account without the factor on; returns what the authenticator app needs. */
  async setup(userId: number, actor: Actor): Promise<{ secret: string; uri: string; qrSvg: string }> {
    const secret = generateSecret();
    await this.uow.run(async (m) => {
      const row = await this.account(m, userId);
      if (row.totpEnabledAt) throw new DomainError('invalid_state', '双重验证已开启；如需更换手机，请先关闭再重新设置');
      await m.update(UserAccount, { id: userId }, { totpSecret: secret });
      await this.audit.record(m, actor, { action: 'auth.totp_setup', entityType: 'account', entityId: userId, summary: `${actor.displayName} 开始设置双重验证` });
    });
    return this.setupOf(secret, actor.username);
  }

  async enable(userId: number, code: string, actor: Actor): Promise<void> {
    await this.uow.run(async (m) => {
      const row = await this.account(m, userId);
      if (row.totpEnabledAt) throw new DomainError('invalid_state', '双重验证已经开启');
      if (!row.totpSecret) throw new DomainError('invalid_state', '请先生成二维码并用手机验证器扫描');
      const step = this.check(row.totpSecret, code, null);
      if (step === null) throw new DomainError('validation', '动态验证码不正确', { code: '动态验证码不正确，请核对手机上的6位数字' });
      await m.update(UserAccount, { id: userId }, { totpEnabledAt: this.clock.now().getTime(), totpLastStep: step });
      await this.audit.record(m, actor, { action: 'auth.totp_enabled', entityType: 'account', entityId: userId, summary: `${actor.displayName} 开启双重验证` });
    });
  }

  async disable(userId: number, code: string, actor: Actor): Promise<void> {
    await this.uow.run(async (m) => {
      const row = await this.account(m, userId);
      if (!row.totpEnabledAt || !row.totpSecret) throw new DomainError('invalid_state', '双重验证未开启');
      if (this.check(row.totpSecret, code, row.totpLastStep) === null) throw new DomainError('validation', '动态验证码不正确', { code: '动态验证码不正确' });
      await m.update(UserAccount, { id: userId }, { totpSecret: null, totpEnabledAt: null, totpLastStep: null });
      await this.audit.record(m, actor, { action: 'auth.totp_disabled', entityType: 'account', entityId: userId, summary: `${actor.displayName} 关闭双重验证` });
    });
  }

  /**
   * At log-in, after the password: whether the account needs a code, and whether this one is
   * good and unused (markUsed settles a race between instances).
   */
  async atLogin(userId: number, code: string | undefined): Promise<{ status: 'none' | 'missing' | 'wrong' } | { status: 'ok'; step: number }> {
    const row = await this.account(this.dataSource.manager, userId);
    if (!row.totpEnabledAt || !row.totpSecret) return { status: 'none' };
    if (!code) return { status: 'missing' };
    const step = this.check(row.totpSecret, code, row.totpLastStep);
    return step === null ? { status: 'wrong' } : { status: 'ok', step };
  }

  /**
   * Records the step of a code just used, inside the log-in's transaction, and only if no later
   * or equal step was recorded meanwhile — by another instance taking the same code at once.
   */
  async markUsed(m: EntityManager, userId: number, step: number): Promise<void> {
    const { changes } = await rawRun(m, `UPDATE user_account SET totpLastStep = ? WHERE id = ? AND (totpLastStep IS NULL OR totpLastStep < ?)`, [step, userId, step]);
    if (changes !== 1) throw new DomainError('unauthenticated', zhCN.auth.totpWrong, { totp: zhCN.auth.totpWrong });
  }

  /** The time step a code belongs to, or null if it is wrong, stale or already used. */
  private check(secret: string, code: string, lastStep: number | null): number | null {
    if (!/^\d{6}$/.test(code.trim())) return null;
    const epoch = Math.floor(this.clock.now().getTime() / 1000);
    const result = verifySync({ secret, token: code.trim(), epoch, epochTolerance: 30 });
    if (!result.valid) return null;
    const step = (result as { timeStep: number }).timeStep;
    return lastStep !== null && step <= lastStep ? null : step;
  }

  private async account(m: EntityManager, userId: number) {
    return m.getRepository(UserAccount).createQueryBuilder('u').addSelect(['u.totpSecret', 'u.totpLastStep']).where('u.id = :id', { id: userId }).getOneOrFail();
  }
}
