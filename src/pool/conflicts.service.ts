import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { zhCN } from '../common/i18n/zh-CN';
import { UnitOfWork } from '../database/unit-of-work';
import { Department } from '../departments/department.entity';
import { ConflictDeclaration } from './conflict-declaration.entity';
import { DeclareConflictDto } from './dto/conflict.dto';

const KIND_LABELS = { employer: '任职关系', relative: '亲属任职', other: '其他关系' } as const;

/** Conflicts of interest declared by evaluators themselves; the draw's avoidance rules read them. */
@Injectable()
export class ConflictsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async declare(evaluatorId: number, dto: DeclareConflictDto, actor: Actor): Promise<ConflictDeclaration> {
    if (dto.kind === 'other' && !dto.departmentId && !dto.personIdNumber) {
      throw new DomainError('validation', zhCN.errors.validation, { departmentId: '请选择相关单位，或填写相关人员的身份证号' });
    }
    if (dto.kind !== 'other' && !dto.departmentId) {
      throw new DomainError('validation', zhCN.errors.validation, { departmentId: zhCN.pool.conflictDepartmentRequired });
    }
    return this.uow.run(async (m) => {
      const department = dto.departmentId ? await m.findOneBy(Department, { id: dto.departmentId }) : null;
      if (dto.departmentId && !department) {
        throw new DomainError('validation', zhCN.errors.validation, { departmentId: zhCN.pool.unknownDepartment });
      }
      const conflict = m.create(ConflictDeclaration, {
        evaluatorId,
        kind: dto.kind,
        departmentId: dto.departmentId ?? null,
        description: dto.description,
        untilYear: dto.untilYear ?? null,
        personName: dto.personName ?? null,
        personIdNumber: dto.personIdNumber ?? null,
        declaredAt: this.clock.now().getTime(),
        withdrawnAt: null,
      });
      await m.save(conflict);
      await this.audit.record(m, actor, {
        action: 'conflict.declared',
        entityType: 'evaluator',
        entityId: evaluatorId,
        summary: `申报利益冲突（${KIND_LABELS[dto.kind]}${department ? '：' + department.name : ''}${dto.personName ? '：' + dto.personName : ''}）：${dto.description}`,
        after: { conflictId: conflict.id, kind: dto.kind, departmentId: conflict.departmentId, untilYear: conflict.untilYear },
      });
      return conflict;
    });
  }

  /** Withdrawal keeps the declaration on record, marked withdrawn. */
  async withdraw(evaluatorId: number, conflictId: number, actor: Actor): Promise<void> {
    await this.uow.run(async (m) => {
      const conflict = await m.findOneBy(ConflictDeclaration, { id: conflictId, evaluatorId });
      if (!conflict || conflict.withdrawnAt) throw new DomainError('not_found', zhCN.pool.conflictNotFound);
      await m.update(ConflictDeclaration, { id: conflictId }, { withdrawnAt: this.clock.now().getTime() });
      await this.audit.record(m, actor, {
        action: 'conflict.withdrawn',
        entityType: 'evaluator',
        entityId: evaluatorId,
        summary: `撤回利益冲突申报：${conflict.description}`,
        before: { conflictId, withdrawnAt: null },
      });
    });
  }
}
