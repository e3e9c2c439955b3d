import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { maskIdentifier } from '../common/masking';
import { clampPage } from '../common/paging';
import { isoInZone } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { containsPattern } from '../database/dialect';
import { UnitOfWork } from '../database/unit-of-work';
import { Department } from '../departments/department.entity';
import { Evaluator } from '../pool/evaluator.entity';
import { AttachmentStore } from './attachments.service';
import { CaseAttachment, CaseDepartment, CaseEvent, CaseExclusion, PetitionRecord } from './case-parts.entity';
import { caseView } from './case-view';
import { CASE_STATUS_LABELS, CaseStatus, mayTransition } from './domain/case-lifecycle';
import { assessEligibility } from './domain/eligibility';
import { CaseQueryDto, ExcludeEvaluatorDto, RegisterCaseDto } from './dto/register-case.dto';
import { PetitionCase } from './petition-case.entity';

/** Petition cases: registration, eligibility, files, timeline, and the one place status changes. */
@Injectable()
export class CasesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly files: AttachmentStore,
    private readonly config: AppConfig,
  ) {}

  async register(dto: RegisterCaseDto, actor: Actor): Promise<PetitionCase> {
    // Dates of what has already happened cannot lie ahead: such a date is a slip of the year.
    const today = isoInZone(this.clock.now(), this.config.APP_TIMEZONE).slice(0, 10);
    const ahead: Record<string, string> = {};
    if (dto.handlingDate > today) ahead.handlingDate = '处理日期不能晚于今天';
    dto.history.forEach((h, i) => {
      if (h.date > today) ahead[`history.${i}.date`] = '信访日期不能晚于今天';
    });
    if (Object.keys(ahead).length) throw new DomainError('validation', Object.values(ahead)[0], ahead);
    const finding = assessEligibility(dto.satisfaction, dto.history);
    if (!finding.eligible && !dto.ineligibleReason) {
      const message = `该案件不符合评价条件（${finding.grounds.join('；')}）。如仍需登记，请填写登记原因。`;
      throw new DomainError('validation', message, { ineligibleReason: message });
    }
    return this.uow.run(async (m) => {
      if (await m.findOneBy(PetitionCase, { caseNumber: dto.caseNumber })) {
        throw new DomainError('conflict', '该案件编号已被使用', { caseNumber: '该案件编号已被使用' });
      }
      const departmentIds = [...new Set(dto.departmentIds)];
      if ((await m.countBy(Department, { id: In(departmentIds) })) !== departmentIds.length) {
        throw new DomainError('validation', '所选责任单位不存在', { departmentIds: '所选责任单位不存在' });
      }
      const now = this.clock.now().getTime();
      const kase = await m.save(PetitionCase, m.create(PetitionCase, {
        caseNumber: dto.caseNumber, title: dto.title, demandSummary: dto.demandSummary, category: dto.category,
        petitionerName: dto.petitionerName, petitionerIdNumber: dto.petitionerIdNumber, petitionerPhone: dto.petitionerPhone,
        petitionerDistrict: dto.petitionerDistrict, petitionerTownship: dto.petitionerTownship,
        handlingResult: dto.handlingResult, handlingDate: dto.handlingDate, satisfaction: dto.satisfaction,
        agentName: dto.agentName ?? null, agentKind: dto.agentKind ?? null, agentPhone: dto.agentPhone ?? null,
        eligible: finding.eligible, ineligibleReason: finding.eligible ? null : dto.ineligibleReason!,
        status: 'registered', registeredAt: now, registeredBy: actor.userId, updatedAt: now,
      }));
      for (const departmentId of departmentIds) await m.insert(CaseDepartment, { caseId: kase.id, departmentId });
      for (const h of dto.history) await m.insert(PetitionRecord, { caseId: kase.id, date: h.date, level: h.level, channel: h.channel });
      await this.event(m, kase.id, null, 'registered', finding.eligible ? `登记案件：${finding.grounds.join('；')}` : `登记不符合条件的案件，原因：${dto.ineligibleReason}`, actor);
      await this.audit.record(m, actor, {
        action: 'case.registered', entityType: 'case', entityId: kase.id,
        summary: `登记案件 ${kase.caseNumber}「${kase.title}」${finding.eligible ? '' : '（不符合评价条件，已记录原因）'}`,
        after: { caseNumber: kase.caseNumber, petitioner: kase.petitionerName, petitionerIdNumber: maskIdentifier(kase.petitionerIdNumber), eligible: finding.eligible, departmentIds },
      });
      return kase;
    });
  }

  async list(query: CaseQueryDto) {
    const qb = this.dataSource.getRepository(PetitionCase).createQueryBuilder('c');
    if (query.status) qb.andWhere('c.status = :status', { status: query.status });
    if (query.q) qb.andWhere(`(c.caseNumber LIKE :q ESCAPE '\\' OR c.title LIKE :q ESCAPE '\\' OR c.petitionerName LIKE :q ESCAPE '\\')`, { q: containsPattern(query.q) });
    const total = await qb.getCount();
    clampPage(query, total);
    const rows = await qb.orderBy('c.id', 'DESC').offset((query.page - 1) * query.pageSize).limit(query.pageSize).getMany();
    return { total, items: rows.map((c) => caseView(c)) };
  }

  /** Every case with its departments' names, for the .xlsx export (no ID numbers or phones). */
  async exportRows() {
    const cases = await this.dataSource.getRepository(PetitionCase).find({
      select: { id: true, caseNumber: true, title: true, category: true, status: true, registeredAt: true, petitionerName: true },
      order: { registeredAt: 'DESC', id: 'DESC' },
    });
    const names = new Map<number, string[]>();
    const links: { caseId: number; name: string }[] = await this.dataSource.query(`SELECT cd.caseId, d.name FROM case_department cd JOIN department d ON d.id = cd.departmentId ORDER BY d.sortOrder`);
    for (const l of links) names.set(l.caseId, [...(names.get(l.caseId) ?? []), l.name]);
    return cases.map((c) => ({ ...c, departments: (names.get(c.id) ?? []).join('、') }));
  }

  async get(id: number, manager: EntityManager = this.dataSource.manager): Promise<PetitionCase> {
    const kase = await manager.findOneBy(PetitionCase, { id });
    if (!kase) throw new DomainError('not_found', '找不到该案件');
    return kase;
  }

  /** Everything the case page shows: details (petitioner masked), departments, history, files, timeline. */
  /** What the evaluation panel reads: the case (petitioner masked), departments, history, files. */
  async dossier(id: number) {
    const kase = await this.get(id);
    const departments = await this.departmentsOf(id);
    const history = await this.dataSource.getRepository(PetitionRecord).find({ where: { caseId: id }, order: { date: 'ASC', id: 'ASC' } });
    const attachments = await this.dataSource.getRepository(CaseAttachment).find({ where: { caseId: id }, order: { id: 'ASC' } });
    return { kase, departments, history, attachments };
  }

  /** The office's case page: the dossier plus timeline, exclusions and eligibility. */
  async detail(id: number) {
    const { kase, departments, history, attachments } = await this.dossier(id);
    const timeline = await this.dataSource.getRepository(CaseEvent).find({ where: { caseId: id }, order: { at: 'ASC', id: 'ASC' } });
    const exclusions = await this.dataSource
      .getRepository(CaseExclusion).createQueryBuilder('x').leftJoin(Evaluator, 'e', 'e.id = x.evaluatorId')
      .select(['x.id AS id', 'x.evaluatorId AS evaluatorId', 'e.name AS name', 'x.reason AS reason', 'x.at AS at'])
      .where('x.caseId = :id', { id }).orderBy('x.id').getRawMany();
    return { kase: caseView(kase), departments, history, attachments, timeline, exclusions, eligibility: assessEligibility(kase.satisfaction, history) };
  }

  async departmentsOf(caseId: number, manager: EntityManager = this.dataSource.manager): Promise<Department[]> {
    return manager.getRepository(Department).createQueryBuilder('d')
      .innerJoin(CaseDepartment, 'cd', 'cd.departmentId = d.id').where('cd.caseId = :caseId', { caseId }).orderBy('d.sortOrder').getMany();
  }

  /** The one place a case changes status: checked against the transition table, recorded on the timeline. */
  async transition(m: EntityManager, caseId: number, to: CaseStatus, note: string, actor: Actor): Promise<void> {
    const kase = await this.get(caseId, m);
    if (!mayTransition(kase.status, to)) {
      throw new DomainError('invalid_state', `案件当前为“${CASE_STATUS_LABELS[kase.status]}”，不能变更为“${CASE_STATUS_LABELS[to]}”`);
    }
    await m.update(PetitionCase, { id: caseId }, { status: to, updatedAt: this.clock.now().getTime() });
    await this.event(m, caseId, kase.status, to, note, actor);
    await this.audit.record(m, actor, {
      action: 'case.status_changed', entityType: 'case', entityId: caseId,
      summary: `案件 ${kase.caseNumber}：${CASE_STATUS_LABELS[kase.status]} → ${CASE_STATUS_LABELS[to]}（${note}）`,
      before: { status: kase.status }, after: { status: to },
    });
  }

  /** A timeline line without a status change (a draw committed, a file added…). */
  async event(m: EntityManager, caseId: number, from: CaseStatus | null, to: CaseStatus | null, note: string, actor: Actor): Promise<void> {
    await m.insert(CaseEvent, { caseId, at: this.clock.now().getTime(), fromStatus: from, toStatus: to, note, actorName: actor.displayName });
  }

  async addAttachment(caseId: number, file: { buffer: Buffer; originalname: string } | undefined, actor: Actor): Promise<CaseAttachment> {
    if (!file) throw new DomainError('validation', '请选择要上传的文件', { file: '请选择要上传的文件' });
    const stored = await this.files.save(file.buffer);
    return this.uow.run(async (m) => {
      const kase = await this.get(caseId, m);
      // Evidence cannot be removed, so the same file twice would stay twice: refuse the second.
      const same = await m.findOneBy(CaseAttachment, { caseId, sha256: stored.sha256 });
      if (same) throw new DomainError('conflict', `该文件已作为附件上传过（${same.fileName}），不必重复上传`, { file: `该文件已作为附件上传过（${same.fileName}），不必重复上传` });
      const attachment = await m.save(CaseAttachment, m.create(CaseAttachment, {
        caseId, fileName: file.originalname.slice(0, 200), mimeType: stored.mimeType, size: file.buffer.length, sha256: stored.sha256,
        uploadedAt: this.clock.now().getTime(), uploadedBy: actor.userId,
      }));
      await this.event(m, caseId, null, null, `上传附件 ${attachment.fileName}`, actor);
      await this.audit.record(m, actor, {
        action: 'case.attachment_added', entityType: 'case', entityId: caseId,
        summary: `案件 ${kase.caseNumber} 上传附件 ${attachment.fileName}（${Math.ceil(attachment.size / 1024)} KB，SHA-256 ${stored.sha256.slice(0, 16)}…）`,
        after: { attachmentId: attachment.id, sha256: stored.sha256 },
      });
      return attachment;
    });
  }

  async attachmentFile(caseId: number, attachmentId: number): Promise<{ attachment: CaseAttachment; content: Buffer }> {
    const attachment = await this.dataSource.getRepository(CaseAttachment).findOneBy({ id: attachmentId, caseId });
    if (!attachment) throw new DomainError('not_found', '找不到该附件');
    return { attachment, content: await this.files.read(attachment.sha256) };
  }

  /** The office excludes a pool member from this case's draws, with a recorded reason. */
  async exclude(caseId: number, dto: ExcludeEvaluatorDto, actor: Actor): Promise<void> {
    await this.uow.run(async (m) => {
      const kase = await this.get(caseId, m);
      const evaluator = await m.findOneBy(Evaluator, { id: dto.evaluatorId });
      if (!evaluator) throw new DomainError('validation', '找不到该评价员', { evaluatorId: '找不到该评价员' });
      if (await m.findOneBy(CaseExclusion, { caseId, evaluatorId: dto.evaluatorId })) {
        throw new DomainError('conflict', '该评价员已被排除', { evaluatorId: '该评价员已被排除' });
      }
      await m.insert(CaseExclusion, { caseId, evaluatorId: dto.evaluatorId, reason: dto.reason, at: this.clock.now().getTime(), actorId: actor.userId });
      await this.event(m, caseId, null, null, `决定回避评价员 ${evaluator.name}（编号${evaluator.id}）：${dto.reason}`, actor);
      await this.audit.record(m, actor, {
        action: 'case.evaluator_excluded', entityType: 'case', entityId: caseId,
        summary: `案件 ${kase.caseNumber} 回避评价员 ${evaluator.name}（编号${evaluator.id}）：${dto.reason}`,
        after: { evaluatorId: evaluator.id, reason: dto.reason },
      });
    });
  }

  /** A suggestion for the next case number: SQ-<year>-<sequence>, the year as the office counts it. */
  async nextCaseNumber(): Promise<string> {
    const year = isoInZone(this.clock.now(), this.config.APP_TIMEZONE).slice(0, 4);
    const [row] = await this.dataSource.query(`SELECT COUNT(*) AS n FROM petition_case WHERE caseNumber LIKE ?`, [`SQ-${year}-%`]);
    return `SQ-${year}-${String(Number(row.n) + 1).padStart(4, '0')}`;
  }
}
