import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { clampPage } from '../common/paging';
import { DomainError } from '../common/domain-error';
import { fill, zhCN } from '../common/i18n/zh-CN';
import { containsPattern } from '../database/dialect';
import { UnitOfWork } from '../database/unit-of-work';
import { Department } from '../departments/department.entity';
import { Panel, PanelMember } from '../draws/panel.entity';
import { PasswordHasher } from '../auth/password-hasher';
import { newInitialPassword } from '../auth/tokens';
import { newUserAccount, UserAccount } from '../auth/user-account.entity';
import { PetitionCase } from '../cases/petition-case.entity';
import { ConflictDeclaration } from './conflict-declaration.entity';
import { checkStatusChange, EVALUATOR_STATUS_LABELS } from './domain/evaluator-status';
import { ChangeStatusDto, PoolQueryDto } from './dto/review.dto';
import { EvaluatorStatusChange } from './evaluator-status-change.entity';
import { evaluatorView } from './evaluator-view';
import { Evaluator } from './evaluator.entity';

/** The talent pool: search, an evaluator's record and history, status changes. */
@Injectable()
export class PoolService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly hasher: PasswordHasher,
  ) {}

  /**
   * Filtered, paginated list. Raw rows through the query builder rather than entities:
   * this is the busiest page and hydration is the larger part of its cost.
   */
  async search(query: PoolQueryDto) {
    const qb = this.dataSource.getRepository(Evaluator).createQueryBuilder('e');
    if (query.category) qb.andWhere('e.category = :category', { category: query.category });
    if (query.status) qb.andWhere('e.status = :status', { status: query.status });
    if (query.district) qb.andWhere('e.district = :district', { district: query.district });
    if (query.expertise) qb.andWhere(`(',' || e.expertise || ',') LIKE :exp`, { exp: `%,${query.expertise},%` });
    if (query.q) {
      const like = containsPattern(query.q);
      qb.andWhere(
        `(e.name LIKE :like ESCAPE '\\' OR e.employer LIKE :like ESCAPE '\\' OR e.title LIKE :like ESCAPE '\\')`,
        { like },
      );
    }
    const total = await qb.getCount();
    clampPage(query, total);
    const rows = await qb
      .orderBy('e.id', 'DESC')
      .offset((query.page - 1) * query.pageSize)
      .limit(query.pageSize)
      .getMany();
    return { total, items: rows.map(evaluatorView) };
  }

  /**
   * Finds a member by full ID number or mobile number. A POST, not a search parameter, so
   * the number never lands in URLs, browser history or access logs.
   */
  async lookup(number: string): Promise<Evaluator> {
    const value = number.replace(/[\s-]/g, '').toUpperCase();
    const found = await this.dataSource.getRepository(Evaluator).findOne({ where: [{ idNumber: value }, { phone: value }] });
    if (!found) throw new DomainError('not_found', zhCN.pool.lookupNotFound, { number: zhCN.pool.lookupNotFound });
    return found;
  }

  async districts(): Promise<string[]> {
    const rows: { district: string }[] = await this.dataSource.query('SELECT DISTINCT district FROM evaluator ORDER BY district');
    return rows.map((r) => r.district);
  }

  async get(id: number): Promise<Evaluator> {
    const evaluator = await this.dataSource.getRepository(Evaluator).findOneBy({ id });
    if (!evaluator) throw new DomainError('not_found', zhCN.pool.evaluatorNotFound);
    return evaluator;
  }

  /** The evaluator's page: details (masked), status history, declared conflicts. */
  async detail(id: number) {
    const evaluator = await this.get(id);
    const history = await this.dataSource.getRepository(EvaluatorStatusChange).find({ where: { evaluatorId: id }, order: { at: 'DESC', id: 'DESC' } });
    const conflicts = await this.conflictsOf(id);
    const employerDepartment = evaluator.employerDepartmentId
      ? await this.dataSource.getRepository(Department).findOneBy({ id: evaluator.employerDepartmentId })
      : null;
    return { evaluator: evaluatorView(evaluator), employerDepartment, history, conflicts, seats: await this.seatsOf(id) };
  }

  /**
   * The seats a member holds on panels of cases not yet evaluated. Suspending or retiring the
   * member does not empty them: an invitation lapses at its deadline (an alternate moves up),
   * an accepted seat stays. The office is shown them before it changes the member's status.
   */
  async seatsOf(evaluatorId: number): Promise<{ caseId: number; caseNumber: string; caseTitle: string; seat: number; state: string }[]> {
    return this.dataSource.getRepository(PanelMember).createQueryBuilder('pm')
      .innerJoin(Panel, 'p', 'p.id = pm.panelId')
      .innerJoin(PetitionCase, 'c', 'c.id = p.caseId')
      .select(['c.id AS caseId', 'c.caseNumber AS caseNumber', 'c.title AS caseTitle', 'pm.seat AS seat', 'pm.state AS state'])
      .where('pm.evaluatorId = :evaluatorId AND pm.state IN (:...states) AND c.status IN (:...open)', { evaluatorId, states: ['invited', 'accepted'], open: ['panel_drawn', 'panel_confirmed', 'evaluating'] })
      .orderBy('c.id').getRawMany();
  }

  async conflictsOf(evaluatorId: number) {
    const rows = await this.dataSource
      .getRepository(ConflictDeclaration)
      .createQueryBuilder('c')
      .leftJoin(Department, 'd', 'd.id = c.departmentId')
      .select(['c.id AS id', 'c.kind AS kind', 'c.departmentId AS departmentId', 'd.name AS departmentName', 'c.description AS description', 'c.personName AS personName'])
      .addSelect(['c.untilYear AS untilYear', 'c.declaredAt AS declaredAt', 'c.withdrawnAt AS withdrawnAt'])
      .where('c.evaluatorId = :evaluatorId', { evaluatorId })
      .orderBy('c.declaredAt', 'DESC')
      .getRawMany();
    return rows as {
      id: number;
      kind: string;
      departmentId: number | null;
      departmentName: string | null;
      description: string;
      personName: string | null;
      untilYear: number | null;
      declaredAt: number;
      withdrawnAt: number | null;
    }[];
  }

  async changeStatus(id: number, dto: ChangeStatusDto, actor: Actor) {
    return this.uow.run(async (m) => {
      const evaluator = await m.findOneBy(Evaluator, { id });
      if (!evaluator) throw new DomainError('not_found', zhCN.pool.evaluatorNotFound);
      const check = checkStatusChange(evaluator.status, dto.status, dto.reason);
      if (!check.ok) {
        const message = fill(zhCN.pool.statusChange[check.reason], {
          from: EVALUATOR_STATUS_LABELS[evaluator.status],
          to: EVALUATOR_STATUS_LABELS[dto.status],
        });
        throw new DomainError('validation', message, { [check.reason === 'reason_required' ? 'reason' : 'status']: message });
      }
      const now = this.clock.now().getTime();
      const from = evaluator.status;
      await m.update(Evaluator, { id }, { status: dto.status, updatedAt: now });
      await m.insert(EvaluatorStatusChange, {
        evaluatorId: id,
        fromStatus: from,
        toStatus: dto.status,
        reason: dto.reason,
        at: now,
        actorId: actor.userId,
        actorName: actor.displayName,
      });
      await this.audit.record(m, actor, {
        action: 'evaluator.status_changed',
        entityType: 'evaluator',
        entityId: id,
        summary: `评价员 ${evaluator.name} 状态：${EVALUATOR_STATUS_LABELS[from]} → ${EVALUATOR_STATUS_LABELS[dto.status]}（${dto.reason}）`,
        before: { status: from },
        after: { status: dto.status, reason: dto.reason },
      });
      return { ...evaluator, status: dto.status, updatedAt: now };
    });
  }

  /**
   * A log-in for a pool member who has none (imported or loaded members), with a one-time
   * password the office hands over; the member must replace it at the first log-in.
   */
  async issueAccount(id: number, actor: Actor): Promise<{ username: string; initialPassword: string }> {
    const initialPassword = newInitialPassword();
    const passwordHash = await this.hasher.hash(initialPassword);
    return this.uow.run(async (m) => {
      const evaluator = await m.findOneBy(Evaluator, { id });
      if (!evaluator) throw new DomainError('not_found', zhCN.pool.evaluatorNotFound);
      if (await m.findOneBy(UserAccount, { evaluatorId: id })) throw new DomainError('conflict', '该评价员已有登录账户；忘记密码请由安全管理员重置');
      const username = `pj${String(id).padStart(5, '0')}`;
      const account = await m.save(UserAccount, m.create(UserAccount, newUserAccount({ username, displayName: evaluator.name, passwordHash, role: 'evaluator', evaluatorId: id }, this.clock.now().getTime())));
      await this.audit.record(m, actor, { action: 'account.created', entityType: 'account', entityId: account.id, summary: `为评价员 ${evaluator.name}（编号${id}）创建登录账户 ${username}`, after: { username, role: 'evaluator', evaluatorId: id } });
      return { username, initialPassword };
    });
  }

  async hasAccount(id: number): Promise<boolean> {
    return (await this.dataSource.getRepository(UserAccount).countBy({ evaluatorId: id })) > 0;
  }

  /** The full ID number and phone, for an administrator; the viewing itself is audited. */
  async reveal(id: number, actor: Actor): Promise<{ idNumber: string; phone: string }> {
    return this.uow.run(async (m) => {
      const evaluator = await m.findOneBy(Evaluator, { id });
      if (!evaluator) throw new DomainError('not_found', zhCN.pool.evaluatorNotFound);
      await this.audit.record(m, actor, {
        action: 'evaluator.revealed',
        entityType: 'evaluator',
        entityId: id,
        summary: `查看评价员 ${evaluator.name} 的完整身份证号和手机号码`,
      });
      return { idNumber: evaluator.idNumber, phone: evaluator.phone };
    });
  }
}
