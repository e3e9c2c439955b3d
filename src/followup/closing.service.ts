import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, Not } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CasesService } from '../cases/cases.service';
import { PetitionCase } from '../cases/petition-case.entity';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { UnitOfWork } from '../database/unit-of-work';
import { Measure } from '../evaluations/evaluation.entities';
import { CaseLinkDto, ReturnVisitDto } from './dto/follow-up.dto';
import { CaseLink, ReturnVisit } from './followup.entities';

export const SATISFACTION_LABELS = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' } as const;
export const OUTCOME_LABELS = { settled: '定分止争（已化解）', unsettled: '未化解' } as const;
export const LINK_KINDS = { review: '复查', recheck: '复核' } as const;

/**
 * Closing the loop: the return visit (回访) records the petitioner's satisfaction and whether
 * they stopped petitioning, and closes the case as settled or not; a later review request
 * (复查/复核) about the same matter is linked to the case it follows.
 */
@Injectable()
export class ClosingService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly cases: CasesService,
  ) {}

  async view(caseId: number) {
    const visit = await this.dataSource.getRepository(ReturnVisit).findOneBy({ caseId });
    const links = await this.dataSource.getRepository(CaseLink).find({ where: [{ caseId }, { linkedCaseId: caseId }], order: { id: 'ASC' } });
    const others = links.length ? await this.dataSource.getRepository(PetitionCase).findBy(links.map((l) => ({ id: l.caseId === caseId ? l.linkedCaseId : l.caseId }))) : [];
    const openTasks = await openTaskCount(this.dataSource.manager, caseId);
    return {
      visit: visit && { ...visit, satisfactionLabel: SATISFACTION_LABELS[visit.satisfaction], outcomeLabel: OUTCOME_LABELS[visit.outcome] },
      links: links.map((l) => {
        const other = others.find((c) => c.id === (l.caseId === caseId ? l.linkedCaseId : l.caseId));
        return { ...l, kindLabel: LINK_KINDS[l.kind], direction: l.caseId === caseId ? '后续' : '原案', otherId: other?.id, otherNumber: other?.caseNumber ?? '' };
      }),
      openTasks,
    };
  }

  async returnVisit(caseId: number, dto: ReturnVisitDto, actor: Actor): Promise<ReturnVisit> {
    return this.uow.run(async (m) => {
      const kase = await this.cases.get(caseId, m);
      if (kase.status !== 'resolved' && kase.status !== 'follow_up') throw new DomainError('invalid_state', '只有已形成决议、正在跟踪落实的案件可以回访结案');
      if (await m.existsBy(ReturnVisit, { caseId })) throw new DomainError('conflict', '该案件已回访结案');
      const open = await openTaskCount(m, caseId);
      if (open > 0 && dto.outcome === 'settled') throw new DomainError('invalid_state', `还有${open}项任务未办结，不能以“定分止争”结案；请待任务办结，或以“未化解”结案并说明原因`);
      const now = this.clock.now().getTime();
      const visit = await m.save(ReturnVisit, m.create(ReturnVisit, { caseId, visitedAt: now, ...dto, recordedBy: actor.userId, recordedAt: now }));
      if (kase.status === 'resolved') await this.cases.transition(m, caseId, 'follow_up', '回访前转入跟踪落实', actor);
      await this.cases.transition(m, caseId, 'closed', `回访：信访人${SATISFACTION_LABELS[dto.satisfaction]}，${dto.stoppedPetitioning ? '已息诉罢访' : '未息诉罢访'}；${OUTCOME_LABELS[dto.outcome]}。${dto.note}`, actor);
      await this.audit.record(m, actor, { action: 'case.return_visit', entityType: 'case', entityId: caseId, summary: `案件 ${kase.caseNumber} 回访结案：${OUTCOME_LABELS[dto.outcome]}`, after: { ...dto } });
      return visit;
    });
  }

  async link(caseId: number, dto: CaseLinkDto, actor: Actor): Promise<CaseLink> {
    return this.uow.run(async (m) => {
      const kase = await this.cases.get(caseId, m);
      const later = await m.findOneBy(PetitionCase, { caseNumber: dto.caseNumber });
      if (!later) throw new DomainError('validation', '没有这个案件编号', { caseNumber: '没有找到该案件编号，请先登记复查/复核案件' });
      if (later.id === caseId) throw new DomainError('validation', '不能关联本案自身', { caseNumber: '不能关联本案自身' });
      if (await m.existsBy(CaseLink, [{ caseId, linkedCaseId: later.id }, { caseId: later.id, linkedCaseId: caseId }])) throw new DomainError('conflict', '这两个案件已经关联');
      const link = await m.save(CaseLink, m.create(CaseLink, { caseId, linkedCaseId: later.id, kind: dto.kind, note: dto.note ?? '', createdAt: this.clock.now().getTime() }));
      await this.cases.event(m, caseId, null, null, `关联${LINK_KINDS[dto.kind]}案件 ${later.caseNumber}`, actor);
      await this.audit.record(m, actor, { action: 'case.linked', entityType: 'case', entityId: caseId, summary: `案件 ${kase.caseNumber} 关联${LINK_KINDS[dto.kind]}案件 ${later.caseNumber}`, after: { linkedCaseId: later.id, kind: dto.kind } });
      return link;
    });
  }
}

/** Department tasks of a case still to be done: a case closes as settled only at zero. */
export function openTaskCount(m: EntityManager, caseId: number): Promise<number> {
  return m.countBy(Measure, { caseId, status: 'open', departmentId: Not(IsNull()) });
}
