import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ROLE_LABELS } from '../auth/domain/roles';
import { LoginThrottle } from '../auth/login-throttle.entity';
import { PasswordHasher } from '../auth/password-hasher';
import { SessionsService } from '../auth/sessions.service';
import { newInitialPassword } from '../auth/tokens';
import { newUserAccount, UserAccount } from '../auth/user-account.entity';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { clampPage } from '../common/paging';
import { DomainError } from '../common/domain-error';
import { zhCN } from '../common/i18n/zh-CN';
import { containsPattern } from '../database/dialect';
import { UnitOfWork } from '../database/unit-of-work';
import { Department } from '../departments/department.entity';
import { AccountQueryDto, ChangeRoleDto, CreateAccountDto } from './dto/account.dto';

/** Accounts and roles, run by the security administrator (三员分立). */
@Injectable()
export class AccountsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionsService,
  ) {}

  async list(query: AccountQueryDto) {
    const qb = this.dataSource
      .getRepository(UserAccount)
      .createQueryBuilder('u')
      .leftJoin(Department, 'd', 'd.id = u.departmentId')
      .leftJoin(LoginThrottle, 't', 't.username = u.username')
      .select(['u.id AS id', 'u.username AS username', 'u.displayName AS displayName', 'u.role AS role', 'u.active AS active'])
      .addSelect(['u.lastLoginAt AS lastLoginAt', 'd.name AS departmentName', 't.lockedUntil AS lockedUntil']);
    if (query.q) qb.where(`(u.username LIKE :q ESCAPE '\\' OR u.displayName LIKE :q ESCAPE '\\')`, { q: containsPattern(query.q) });
    const total = await qb.getCount();
    clampPage(query, total);
    const now = this.clock.now().getTime();
    const rows = await qb.orderBy('u.id', 'ASC').offset((query.page - 1) * query.pageSize).limit(query.pageSize).getRawMany();
    return {
      total,
      items: rows.map((r) => ({ ...r, active: !!r.active, roleLabel: ROLE_LABELS[r.role as keyof typeof ROLE_LABELS], locked: !!r.lockedUntil && r.lockedUntil > now })),
    };
  }

  async get(id: number): Promise<UserAccount> {
    const account = await this.dataSource.getRepository(UserAccount).findOneBy({ id });
    if (!account) throw new DomainError('not_found', zhCN.accounts.notFound);
    return account;
  }

  /** Until when the account's log-in is locked after failed attempts, or null. */
  async lockedUntil(account: UserAccount): Promise<number | null> {
    const throttle = await this.dataSource.getRepository(LoginThrottle).findOneBy({ username: account.username.toLowerCase() });
    return throttle?.lockedUntil && throttle.lockedUntil > this.clock.now().getTime() ? throttle.lockedUntil : null;
  }

  async create(dto: CreateAccountDto, actor: Actor): Promise<{ account: UserAccount; initialPassword: string }> {
    const initialPassword = newInitialPassword();
    const passwordHash = await this.hasher.hash(initialPassword);
    return this.uow.run(async (m) => {
      const username = dto.username.toLowerCase();
      if (await m.findOneBy(UserAccount, { username })) {
        throw new DomainError('conflict', zhCN.accounts.usernameTaken, { username: zhCN.accounts.usernameTaken });
      }
      await this.checkDepartment(m, dto.role, dto.departmentId);
      const now = this.clock.now().getTime();
      const departmentId = dto.role === 'liaison' ? dto.departmentId! : null;
      const account = m.create(UserAccount, newUserAccount({ username, displayName: dto.displayName, passwordHash, role: dto.role, departmentId }, now));
      await m.save(account);
      await this.audit.record(m, actor, {
        action: 'account.created',
        entityType: 'account',
        entityId: account.id,
        summary: `创建账户 ${username}（${dto.displayName}，${ROLE_LABELS[dto.role]}）`,
        after: { username, role: dto.role, departmentId: account.departmentId },
      });
      return { account, initialPassword };
    });
  }

  async changeRole(id: number, dto: ChangeRoleDto, actor: Actor): Promise<void> {
    await this.uow.run(async (m) => {
      const account = await this.editable(m, id, actor);
      if (account.role === 'evaluator') throw new DomainError('validation', zhCN.accounts.evaluatorRoleViaPool, { role: zhCN.accounts.evaluatorRoleViaPool });
      await this.checkDepartment(m, dto.role, dto.departmentId);
      const departmentId = dto.role === 'liaison' ? dto.departmentId! : null;
      await m.update(UserAccount, { id }, { role: dto.role, departmentId });
      // New powers take effect at the next log-in, not in sessions opened under the old role.
      await this.sessions.destroyAllOf(m, id);
      await this.audit.record(m, actor, {
        action: 'account.role_changed',
        entityType: 'account',
        entityId: id,
        summary: `账户 ${account.username} 角色：${ROLE_LABELS[account.role]} → ${ROLE_LABELS[dto.role]}`,
        before: { role: account.role, departmentId: account.departmentId },
        after: { role: dto.role, departmentId },
      });
    });
  }

  async setActive(id: number, active: boolean, actor: Actor): Promise<void> {
    await this.uow.run(async (m) => {
      const account = await this.editable(m, id, actor);
      if (account.active === active) return;
      await m.update(UserAccount, { id }, { active });
      if (!active) await this.sessions.destroyAllOf(m, id);
      await this.audit.record(m, actor, {
        action: active ? 'account.activated' : 'account.deactivated',
        entityType: 'account',
        entityId: id,
        summary: `${active ? '启用' : '停用'}账户 ${account.username}`,
        before: { active: account.active },
        after: { active },
      });
    });
  }

  async unlock(id: number, actor: Actor): Promise<void> {
    await this.uow.run(async (m) => {
      const account = await this.editable(m, id, actor, true);
      await m.delete(LoginThrottle, { username: account.username.toLowerCase() });
      await this.audit.record(m, actor, { action: 'account.unlocked', entityType: 'account', entityId: id, summary: `解除账户 ${account.username} 的登录锁定` });
    });
  }

  /** A new one-time password; the user must replace it at the next log-in. */
  async resetPassword(id: number, actor: Actor): Promise<{ account: UserAccount; initialPassword: string }> {
    const initialPassword = newInitialPassword();
    const passwordHash = await this.hasher.hash(initialPassword);
    return this.uow.run(async (m) => {
      const account = await this.editable(m, id, actor);
      const now = this.clock.now().getTime();
      // The password being replaced joins the history, so the user cannot choose it again (a
      // reset usually follows a password that got out).
      await m.query(`INSERT INTO password_history (userId, passwordHash, retiredAt) VALUES (?, ?, ?)`, [id, account.passwordHash, now]);
      await m.update(UserAccount, { id }, { passwordHash, mustChangePassword: true, passwordChangedAt: now });
      await m.delete(LoginThrottle, { username: account.username.toLowerCase() });
      await this.sessions.destroyAllOf(m, id);
      await this.audit.record(m, actor, { action: 'account.password_reset', entityType: 'account', entityId: id, summary: `重置账户 ${account.username} 的密码` });
      return { account, initialPassword };
    });
  }

  /**
   * For a user who lost the phone with their authenticator: two-factor is turned off (they set it
   * up again after signing in), their sessions end, and it is audited.
   */
  async resetSecondFactor(id: number, actor: Actor): Promise<UserAccount> {
    return this.uow.run(async (m) => {
      const account = await this.editable(m, id, actor);
      if (!account.totpEnabledAt) throw new DomainError('invalid_state', '该账户未开启双重验证');
      await m.update(UserAccount, { id }, { totpSecret: null, totpEnabledAt: null, totpLastStep: null });
      await this.sessions.destroyAllOf(m, id);
      await this.audit.record(m, actor, { action: 'account.totp_reset', entityType: 'account', entityId: id, summary: `清除账户 ${account.username} 的双重验证（本人须重新设置）` });
      return account;
    });
  }

  private async editable(m: EntityManager, id: number, actor: Actor, selfAllowed = false): Promise<UserAccount> {
    const account = await m.findOneBy(UserAccount, { id });
    if (!account) throw new DomainError('not_found', zhCN.accounts.notFound);
    if (!selfAllowed && account.id === actor.userId) throw new DomainError('forbidden', zhCN.accounts.cannotChangeSelf);
    return account;
  }

  private async checkDepartment(m: EntityManager, role: string, departmentId: number | undefined): Promise<void> {
    if (role !== 'liaison') return;
    if (!departmentId) throw new DomainError('validation', zhCN.errors.validation, { departmentId: zhCN.accounts.departmentRequired });
    if (!(await m.findOneBy(Department, { id: departmentId }))) {
      throw new DomainError('validation', zhCN.errors.validation, { departmentId: zhCN.pool.unknownDepartment });
    }
  }
}
