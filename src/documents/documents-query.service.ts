import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { roleMay } from '../auth/domain/roles';
import { UserAccount } from '../auth/user-account.entity';
import { PetitionCase } from '../cases/petition-case.entity';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { monthInZone } from '../common/time-format';
import { clampPage } from '../common/paging';
import { AppConfig } from '../config/app-config';
import { Department } from '../departments/department.entity';
import { MeetingsService } from '../evaluations/meetings.service';
import { DocumentsService } from './documents.service';
import { DOCUMENT_KINDS, DocumentKind, groupedCode } from './domain/official-document';
import { IssuedDocument } from './issued-document.entity';

const PAGE_SIZE = 30;

/** The read side of documents for pages: what a case, the register and a department see. */
@Injectable()
export class DocumentsQueryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly documents: DocumentsService,
    private readonly meetings: MeetingsService,
  ) {}

  async casePage(caseId: number, user: UserAccount) {
    const kase = await this.dataSource.getRepository(PetitionCase).findOneBy({ id: caseId });
    if (!kase) throw new DomainError('not_found', '找不到该案件');
    const meeting = await this.meetings.forCase(caseId);
    const adopted = meeting ? await this.documents.adoptedOf(meeting.id) : null;
    const documents = await this.labelled(await this.documents.forCase(caseId));
    const issuedForAdopted = !!adopted && documents.some((d) => d.resolutionId === adopted.id);
    return {
      kase,
      meeting,
      adopted,
      canIssue: roleMay(user.role, 'documents.issue') && !!adopted && !issuedForAdopted,
      canBatch: roleMay(user.role, 'documents.issue') && issuedForAdopted,
      current: documents.filter((d) => d.status === 'current'),
      superseded: documents.filter((d) => d.status === 'superseded'),
    };
  }

  async register(requestedPage: number, kind?: string) {
    const where = kind && kind in DOCUMENT_KINDS ? { kind: kind as DocumentKind } : {};
    const total = await this.dataSource.getRepository(IssuedDocument).countBy(where);
    const query = { page: Math.max(1, Math.floor(requestedPage)), pageSize: PAGE_SIZE };
    clampPage(query, total);
    const rows = await this.dataSource.getRepository(IssuedDocument).find({ where, order: { issuedAt: 'DESC', id: 'DESC' }, skip: (query.page - 1) * PAGE_SIZE, take: PAGE_SIZE });
    const cases = await this.dataSource.getRepository(PetitionCase).find({ where: { id: In([...new Set(rows.map((r) => r.caseId))]) }, select: { id: true, caseNumber: true } });
    return {
      rows: (await this.labelled(rows)).map((r) => ({ ...r, caseNumber: cases.find((c) => c.id === r.caseId)?.caseNumber })),
      total,
      page: query.page,
      pageSize: PAGE_SIZE,
      kinds: Object.entries(DOCUMENT_KINDS).map(([value, k]) => ({ value, label: k.label })),
    };
  }

  async departmentPage(user: UserAccount) {
    if (!user.departmentId) return { department: null, letters: [] };
    const department = await this.dataSource.getRepository(Department).findOneBy({ id: user.departmentId });
    const letters = await this.dataSource.getRepository(IssuedDocument).find({ where: { departmentId: user.departmentId, kind: 'assignment' }, order: { issuedAt: 'DESC', id: 'DESC' } });
    const cases = await this.dataSource.getRepository(PetitionCase).find({ where: { id: In([...new Set(letters.map((l) => l.caseId))]) }, select: { id: true, caseNumber: true, title: true } });
    return { department, letters: (await this.labelled(letters)).map((l) => ({ ...l, kase: cases.find((c) => c.id === l.caseId) })) };
  }

  /** The current month as YYYY-MM in the office's time zone, for the batch form's default. */
  thisMonth(): string {
    return monthInZone(this.clock.now(), this.config.APP_TIMEZONE);
  }

  private async labelled(documents: IssuedDocument[]) {
    const departments = await this.dataSource.getRepository(Department).findBy({ id: In([...new Set(documents.map((d) => d.departmentId).filter((id): id is number => id !== null))]) });
    return documents.map((d) => ({
      ...d,
      kindLabel: DOCUMENT_KINDS[d.kind].label,
      departmentName: departments.find((x) => x.id === d.departmentId)?.name ?? null,
      code: groupedCode(d.verificationCode),
    }));
  }
}
