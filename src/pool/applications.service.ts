import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { PasswordHasher } from '../auth/password-hasher';
import { newInitialPassword } from '../auth/tokens';
import { newUserAccount, UserAccount } from '../auth/user-account.entity';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { clampPage } from '../common/paging';
import { DomainError } from '../common/domain-error';
import { maskIdentifier } from '../common/masking';
import { zhCN } from '../common/i18n/zh-CN';
import { UnitOfWork } from '../database/unit-of-work';
import { Department } from '../departments/department.entity';
import { Application, ApplicationStatus } from './application.entity';
import { CATEGORY_LABELS } from './domain/categories';
import { ApplicationDto } from './dto/application.dto';
import { ApplicationQueryDto } from './dto/review.dto';
import { EvaluatorStatusChange } from './evaluator-status-change.entity';
import { personView } from './person-view';
import { Evaluator } from './evaluator.entity';

export interface ApprovalResult {
  application: Application;
  evaluator: Evaluator;
  username: string;
  /** Shown once to the office, never stored in clear. */
  initialPassword: string;
}

/** Voluntary applications (自愿申请) and their review (审核批准). */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly hasher: PasswordHasher,
  ) {}

  async submit(dto: ApplicationDto, actor: Actor): Promise<Application> {
    return this.uow.run(async (m) => {
      await this.refuseDuplicate(m, dto.idNumber);
      const now = this.clock.now().getTime();
      const application = m.create(Application, {
        ...dto,
        expertise: dto.expertise.join(','),
        consent: true,
        status: 'pending' as ApplicationStatus,
        decisionReason: null,
        reviewedAt: null,
        reviewedBy: null,
        evaluatorId: null,
        submittedAt: now,
      });
      await m.save(application);
      await this.audit.record(m, actor, {
        action: 'application.submitted',
        entityType: 'application',
        entityId: application.id,
        summary: `${dto.name}（${CATEGORY_LABELS[dto.category]}）提交入库申请`,
        after: { name: dto.name, idNumber: maskIdentifier(dto.idNumber), category: dto.category },
      });
      return application;
    });
  }

  private async refuseDuplicate(m: EntityManager, idNumber: string): Promise<void> {
    const live = await m
      .getRepository(Application)
      .createQueryBuilder('a')
      .where('a.idNumber = :idNumber AND a.status <> :rejected', { idNumber, rejected: 'rejected' })
      .getCount();
    const member = await m.countBy(Evaluator, { idNumber });
    if (live + member > 0) {
      throw new DomainError('conflict', zhCN.pool.duplicateApplication, { idNumber: zhCN.pool.duplicateApplication });
    }
  }

  async list(query: ApplicationQueryDto) {
    const where = query.status ? { status: query.status } : {};
    const total = await this.dataSource.getRepository(Application).countBy(where);
    clampPage(query, total);
    const items = await this.dataSource.getRepository(Application).find({
      where,
      order: { submittedAt: 'DESC', id: 'DESC' },
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    });
    return { items: items.map(applicationView), total };
  }

  async countPending(): Promise<number> {
    return this.dataSource.getRepository(Application).countBy({ status: 'pending' });
  }

  async get(id: number): Promise<Application> {
    const application = await this.dataSource.getRepository(Application).findOneBy({ id });
    if (!application) throw new DomainError('not_found', zhCN.pool.applicationNotFound);
    return application;
  }

  /**
   * The applicant's full phone number, for the reviewer who is to call them (the form promises a
   * call); only while the application awaits review, and every look is audited.
   */
  async revealPhone(id: number, actor: Actor): Promise<string> {
    return this.uow.run(async (m) => {
      const application = await m.findOneBy(Application, { id });
      if (!application) throw new DomainError('not_found', zhCN.pool.applicationNotFound);
      if (application.status !== 'pending') throw new DomainError('invalid_state', '该申请已审核，请在评价员档案中查看联系方式');
      await this.audit.record(m, actor, {
        action: 'application.phone_revealed', entityType: 'application', entityId: id,
        summary: `查看入库申请人 ${application.name} 的完整手机号码`,
      });
      return application.phone;
    });
  }

  /** Approval puts the applicant in the pool and creates their account with a one-time password. */
  async approve(id: number, actor: Actor): Promise<ApprovalResult> {
    const initialPassword = newInitialPassword();
    const passwordHash = await this.hasher.hash(initialPassword);
    return this.uow.run(async (m) => {
      const application = await this.pending(m, id);
      const now = this.clock.now().getTime();
      if ((await m.countBy(Evaluator, { idNumber: application.idNumber })) > 0) {
        throw new DomainError('conflict', zhCN.pool.alreadyInPool);
      }
      const evaluator = m.create(Evaluator, {
        name: application.name,
        gender: application.gender,
        birthYear: application.birthYear,
        phone: application.phone,
        idNumber: application.idNumber,
        employer: application.employer,
        // An employer named exactly like a responsible department is linked to it (avoidance).
        employerDepartmentId: (await m.findOneBy(Department, { name: application.employer }))?.id ?? null,
        title: application.title,
        category: application.category,
        expertise: application.expertise,
        district: application.district,
        township: application.township,
        bio: application.bio,
        status: 'active',
        source: 'application',
        joinedAt: now,
        updatedAt: now,
      });
      await m.save(evaluator);
      await m.insert(EvaluatorStatusChange, {
        evaluatorId: evaluator.id,
        fromStatus: null,
        toStatus: 'active',
        reason: `入库申请第${application.id}号审核通过`,
        at: now,
        actorId: actor.userId,
        actorName: actor.displayName,
      });
      const username = `pj${String(evaluator.id).padStart(5, '0')}`;
      const account = m.create(UserAccount, newUserAccount({ username, displayName: application.name, passwordHash, role: 'evaluator', evaluatorId: evaluator.id }, now));
      await m.save(account);
      await this.audit.record(m, actor, {
        action: 'account.created',
        entityType: 'account',
        entityId: account.id,
        summary: `为评价员 ${application.name} 创建账户 ${username}`,
        after: { username, role: 'evaluator', evaluatorId: evaluator.id },
      });
      await m.update(Application, { id }, { status: 'approved', reviewedAt: now, reviewedBy: actor.userId, evaluatorId: evaluator.id });
      await this.audit.record(m, actor, {
        action: 'application.approved',
        entityType: 'application',
        entityId: id,
        summary: `批准 ${application.name} 的入库申请，评价员编号 ${evaluator.id}，账户 ${username}`,
        before: { status: 'pending' },
        after: { status: 'approved', evaluatorId: evaluator.id, username },
      });
      return { application: { ...application, status: 'approved' as const }, evaluator, username, initialPassword };
    });
  }

  async reject(id: number, reason: string, actor: Actor): Promise<Application> {
    return this.uow.run(async (m) => {
      const application = await this.pending(m, id);
      const now = this.clock.now().getTime();
      await m.update(Application, { id }, { status: 'rejected', decisionReason: reason, reviewedAt: now, reviewedBy: actor.userId });
      await this.audit.record(m, actor, {
        action: 'application.rejected',
        entityType: 'application',
        entityId: id,
        summary: `驳回 ${application.name} 的入库申请：${reason}`,
        before: { status: 'pending' },
        after: { status: 'rejected', reason },
      });
      return { ...application, status: 'rejected' as const, decisionReason: reason };
    });
  }

  private async pending(m: EntityManager, id: number): Promise<Application> {
    const application = await m.findOneBy(Application, { id });
    if (!application) throw new DomainError('not_found', zhCN.pool.applicationNotFound);
    if (application.status !== 'pending') throw new DomainError('invalid_state', zhCN.pool.applicationNotPending);
    return application;
  }
}

export function applicationView(a: Application) {
  return {
    ...personView(a),
    status: a.status,
    decisionReason: a.decisionReason,
    submittedAt: a.submittedAt,
    reviewedAt: a.reviewedAt,
    evaluatorId: a.evaluatorId,
  };
}
