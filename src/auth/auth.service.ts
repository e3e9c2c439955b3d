import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { maskIdentifier } from '../common/masking';
import { DomainError } from '../common/domain-error';
import { fill, zhCN } from '../common/i18n/zh-CN';
import { rawRows } from '../database/raw-rows';
import { UnitOfWork } from '../database/unit-of-work';
import { AuditService } from '../audit/audit.service';
import { afterFailure, isLocked, minutesLeft } from './domain/lockout';
import { PASSWORD_HISTORY, passwordProblem } from './domain/password-policy';
import { LoginThrottle } from './login-throttle.entity';
import { PasswordHasher } from './password-hasher';
import { SecondFactorService } from './second-factor.service';
import { Session } from './session.entity';
import { SessionsService } from './sessions.service';
import { UserAccount } from './user-account.entity';

export interface LoginResult {
  token: string;
  session: Session;
  user: UserAccount;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
    private readonly audit: AuditService,
    private readonly secondFactor: SecondFactorService,
  ) {}

  /**
   * Checks a user name and password. Unknown names, wrong passwords and inactive accounts
   * get the same message and the same lock-out after 5 failures, so the answer never tells
   * whether a name exists.
   */
  async login(username: string, password: string, actor: Actor, userAgent: string, totp?: string): Promise<LoginResult> {
    const name = username.trim().toLowerCase();
    // Attempts on one name run one after another, so parallel guesses cannot outrun the lock-out.
    const previous = this.attemptsInFlight.get(name) ?? Promise.resolve();
    const attempt = previous.then(() => this.attemptLogin(name, password, actor, userAgent, totp));
    const settled = attempt.catch(() => undefined);
    this.attemptsInFlight.set(name, settled);
    void settled.then(() => {
      if (this.attemptsInFlight.get(name) === settled) this.attemptsInFlight.delete(name);
    });
    return attempt;
  }

  private readonly attemptsInFlight = new Map<string, Promise<unknown>>();

  private async attemptLogin(name: string, password: string, actor: Actor, userAgent: string, totp?: string): Promise<LoginResult> {
    const now = this.clock.now().getTime();
    const throttle = await this.dataSource.getRepository(LoginThrottle).findOneBy({ username: name });
    if (isLocked(throttle, now)) {
      throw new DomainError('locked', fill(zhCN.auth.locked, { minutes: minutesLeft(throttle!, now) }));
    }
    const user = await this.dataSource.getRepository(UserAccount).findOneBy({ username: name });
    const passwordOk = user && user.active ? await this.hasher.verify(user.passwordHash, password) : await this.hasher.verifyDecoy(password);
    // The second factor, where switched on: a missing code asks for it; a wrong one counts as a failed log-in.
    const factor = passwordOk && user ? await this.secondFactor.atLogin(user.id, totp) : { status: 'none' as const };
    if (factor.status === 'missing') throw new DomainError('unauthenticated', zhCN.auth.totpRequired, { totp: zhCN.auth.totpRequired });
    const ok = passwordOk && factor.status !== 'wrong';
    if (!ok || !user) {
      const next = await this.uow.run(async (m) => {
        const current = await m.findOneBy(LoginThrottle, { username: name });
        const state = afterFailure(current, now);
        await m.save(LoginThrottle, { username: name, failures: state.failures, lockedUntil: state.lockedUntil, lastFailureAt: now });
        // A name that is no account may be a password typed into the wrong box: never keep it whole.
        const shown = user ? name : `未知用户名 ${maskIdentifier(name)}`;
        await this.audit.record(m, { ...actor, displayName: shown, username: user ? name : 'unknown' }, {
          action: 'auth.login_failed',
          entityType: 'account',
          entityId: user?.id ?? null,
          summary: state.lockedUntil ? `${shown} 连续${state.failures}次登录失败，已锁定` : `${shown} 登录失败（第${state.failures}次）`,
        });
        return state;
      });
      if (next.lockedUntil) throw new DomainError('locked', fill(zhCN.auth.locked, { minutes: minutesLeft(next, now) }));
      if (factor.status === 'wrong') throw new DomainError('unauthenticated', zhCN.auth.totpWrong, { totp: zhCN.auth.totpWrong });
      throw new DomainError('unauthenticated', zhCN.auth.badCredentials);
    }
    return this.uow.run(async (m) => {
      await m.delete(LoginThrottle, { username: name });
      if (factor.status === 'ok') await this.secondFactor.markUsed(m, user.id, factor.step);
      await m.update(UserAccount, { id: user.id }, { lastLoginAt: now });
      const { token, session } = await this.sessions.create(m, user, actor.ip, userAgent);
      await this.audit.record(m, { ...actor, userId: user.id, username: user.username, displayName: user.displayName, role: user.role }, {
        action: 'auth.login',
        entityType: 'account',
        entityId: user.id,
        summary: `${user.displayName} 登录`,
      });
      return { token, session, user };
    });
  }

  async logout(sessionId: string, actor: Actor): Promise<void> {
    await this.uow.run(async (m) => {
      await this.sessions.destroy(m, sessionId);
      await this.audit.record(m, actor, { action: 'auth.logout', entityType: 'account', entityId: actor.userId, summary: `${actor.displayName} 退出` });
    });
  }

  /** Changes the signed-in user's password; other sessions of the user end, this one stays. */
  async changePassword(user: UserAccount, sessionId: string, current: string, next: string, actor: Actor): Promise<void> {
    if (!(await this.hasher.verify(user.passwordHash, current))) {
      // Wrong guesses here count like failed log-ins; at the limit the session ends too.
      const name = user.username.toLowerCase();
      const now = this.clock.now().getTime();
      const state = await this.uow.run(async (m) => {
        const next = afterFailure(await m.findOneBy(LoginThrottle, { username: name }), now);
        await m.save(LoginThrottle, { username: name, failures: next.failures, lockedUntil: next.lockedUntil, lastFailureAt: now });
        if (next.lockedUntil) await this.sessions.destroyAllOf(m, user.id);
        await this.audit.record(m, actor, { action: 'auth.login_failed', entityType: 'account', entityId: user.id, summary: `${user.displayName} 修改密码时当前密码错误（第${next.failures}次）` });
        return next;
      });
      if (state.lockedUntil) throw new DomainError('locked', fill(zhCN.auth.locked, { minutes: minutesLeft(state, now) }));
      throw new DomainError('validation', zhCN.errors.validation, { currentPassword: zhCN.auth.wrongCurrentPassword });
    }
    const problem = passwordProblem(next, user.username);
    if (problem) throw new DomainError('validation', zhCN.errors.validation, { newPassword: zhCN.auth.password[problem] });
    // The current password and the four before it may not come back.
    const earlier = (await rawRows<[string]>(this.dataSource, `SELECT passwordHash FROM password_history WHERE userId = ? ORDER BY id DESC LIMIT ?`, [user.id, PASSWORD_HISTORY - 1])).map(([h]) => h);
    for (const old of [user.passwordHash, ...earlier]) {
      if (await this.hasher.verify(old, next)) throw new DomainError('validation', zhCN.errors.validation, { newPassword: zhCN.auth.password.reused });
    }
    const passwordHash = await this.hasher.hash(next);
    const now = this.clock.now().getTime();
    await this.uow.run(async (m) => {
      await m.query(`INSERT INTO password_history (userId, passwordHash, retiredAt) VALUES (?, ?, ?)`, [user.id, user.passwordHash, now]);
      await m.update(UserAccount, { id: user.id }, { passwordHash, mustChangePassword: false, passwordChangedAt: now });
      await m.createQueryBuilder().delete().from(Session).where('userId = :id AND id <> :sid', { id: user.id, sid: sessionId }).execute();
      await this.audit.record(m, actor, { action: 'auth.password_changed', entityType: 'account', entityId: user.id, summary: `${user.displayName} 修改了密码` });
    });
  }
}
