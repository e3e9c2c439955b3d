import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import QRCode from 'qrcode';
import { DataSource, In, LessThan } from 'typeorm';
import { AuditChainService } from '../audit/audit-chain.service';
import { AuditService } from '../audit/audit.service';
import { UserAccount } from '../auth/user-account.entity';
import { CasesService } from '../cases/cases.service';
import { Actor } from '../common/actor';
import { Clock } from '../common/clock';
import { ContentStore } from '../common/content-store';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { isConstraintViolation } from '../database/dialect';
import { UnitOfWork } from '../database/unit-of-work';
import { Finding } from '../evaluations/domain/draft';
import { Resolution } from '../evaluations/evaluation.entities';
import { DocumentContentService, ResolutionContent } from './document-content.service';
import { DocumentTemplates } from './document-templates';
import { DOCUMENT_KINDS, documentDate, DocumentKind, documentNumber, documentYear, groupedCode, normalizeVerificationCode, verificationCode } from './domain/official-document';
import { IssuedDocument } from './issued-document.entity';
import { PdfRenderer } from './pdf-renderer';

/** What the finding means for the petitioner, in the notice's plain words. */
const FINDING_EXPLANATIONS: Record<Finding, string> = {
  reasonable: '您的诉求有法律政策依据，有关部门将在规定期限内解决到位。',
  partly_reasonable: '您的诉求中有法律政策依据的部分，将由有关部门限期解决；其余部分，有关部门将向您做好政策解释。',
  unreasonable: '您的诉求缺乏法律政策依据或超出规定标准，有关部门将向您做好政策解释和说明。',
};

interface Planned {
  kind: DocumentKind;
  departmentId: number | null;
  title: string;
  addressee: string;
  content: Record<string, unknown>;
}

/**
 * Issues the official documents of an adopted resolution: 评价决议书, one 交办函 per
 * department with measures, 评价结果告知书 and 事实确认书. Each is rendered once, stored by its
 * SHA-256 under data/documents and registered with a number and a verification code. Issuing
 * again returns what was issued; a corrected resolution's documents supersede the old ones.
 */
@Injectable()
export class DocumentsService implements OnApplicationBootstrap {
  private readonly store: ContentStore;
  private readonly templates = new DocumentTemplates();
  /** Issuing runs one at a time, so numbers are handed out without gaps or collisions. */
  private issuing: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly renderer: PdfRenderer,
    private readonly contents: DocumentContentService,
    private readonly cases: CasesService,
    private readonly chain: AuditChainService,
  ) {
    this.store = new ContentStore(path.join(config.dataDir, 'documents'));
  }

  onApplicationBootstrap(): void {
    this.templates.prepare(Object.keys(DOCUMENT_KINDS) as DocumentKind[]);
  }

  /** The documents of the meeting's adopted resolution, issuing them first if need be. */
  issue(meetingId: number, actor: Actor, onProgress?: (done: number, total: number) => void): Promise<IssuedDocument[]> {
    // One issue at a time in this process. Another instance on the same database may take the
    // same numbers meanwhile: the unique number index refuses the later one, which is then
    // numbered and rendered again (or finds its documents issued by the other instance).
    const attempt = () => this.issueNow(meetingId, actor, onProgress);
    const run = this.issuing.then(() => attempt().catch((error) => (isConstraintViolation(error) ? attempt() : Promise.reject(error))));
    this.issuing = run.catch(() => undefined);
    return run;
  }

  private async issueNow(meetingId: number, actor: Actor, onProgress?: (done: number, total: number) => void): Promise<IssuedDocument[]> {
    const resolution = await this.adoptedOf(meetingId);
    if (!resolution) throw new DomainError('invalid_state', '该案件的评价决议尚未表决通过，不能出具文书');
    const existing = await this.forResolution(resolution.id);
    if (existing.length) {
      onProgress?.(existing.length, existing.length);
      return existing;
    }
    const content = await this.contents.of(resolution);
    const planned = this.plan(content);
    const now = this.clock.now().getTime();
    const year = documentYear(now, this.config.APP_TIMEZONE);
    const serials = await this.nextSerials(year);
    // Numbers and codes first (the assignment letters cite the decision's number), then every
    // PDF at once: the renderer's pool decides how many Chromium draws in parallel.
    const numbered = planned.map((p) => {
      const serial = serials[p.kind]++;
      return { p, serial, number: documentNumber(this.config.DOC_NUMBER_PREFIX, p.kind, year, serial), code: verificationCode(randomBytes(8)) };
    });
    const decisionNumber = numbered.find((n) => n.p.kind === 'decision')!.number;
    const auditHead = await this.auditHeadText();
    let done = 0;
    // Each document's HTML in a turn of the event loop of its own, one after the other: made in
    // one go, a resolution's four held up every request for up to 100 ms. (Waiting for a turn
    // all at once would not do: immediates queued together all run in the same turn.)
    let previous: Promise<unknown> = Promise.resolve();
    const rows: Partial<IssuedDocument>[] = await Promise.all(numbered.map(async ({ p, serial, number, code }) => {
      const html = previous.then(() => new Promise((resolve) => setImmediate(resolve))).then(() => this.html(p, now, number, code, decisionNumber, auditHead));
      previous = html.catch(() => undefined);
      const pdf = await this.renderer.render(await html);
      const sha256 = await this.store.save(pdf);
      onProgress?.(++done, planned.length);
      return {
        kind: p.kind, caseId: content.kase.id, meetingId, resolutionId: resolution.id, resolutionVersion: resolution.version, departmentId: p.departmentId,
        year, serial, number, title: p.title, verificationCode: code, sha256, bytes: pdf.length, status: 'current' as const, issuedAt: now, issuedBy: actor.userId,
        supersededAt: null, supersededByResolutionVersion: null,
      };
    }));
    await this.uow.run(async (m) => {
      const older = await m.findBy(IssuedDocument, { meetingId, status: 'current', resolutionVersion: LessThan(resolution.version) });
      if (older.length) {
        await m.update(IssuedDocument, { id: In(older.map((d) => d.id)) }, { status: 'superseded', supersededAt: now, supersededByResolutionVersion: resolution.version });
      }
      await m.insert(IssuedDocument, rows);
      // Delivered to the departments: the case moves on to follow-up (a correction's documents find it there already).
      const kase = await this.cases.get(content.kase.id, m);
      if (kase.status === 'resolved') await this.cases.transition(m, kase.id, 'follow_up', '文书已出具，交办各责任单位，进入跟踪落实', actor);
      await this.audit.record(m, actor, {
        action: 'documents.issued', entityType: 'case', entityId: content.kase.id,
        summary: `出具决议第${resolution.version}版文书${rows.length}份：${rows.map((r) => r.number).join('、')}${older.length ? `；原文书${older.length}份作废` : ''}`,
        after: rows.map((r) => ({ kind: r.kind, number: r.number, sha256: r.sha256 })),
      });
    });
    return this.forResolution(resolution.id);
  }

  /**
   * A document of the meeting's adopted resolution as it would be issued, without a number and
   * with a code that verifies nothing: for the office to read before issuing (and for benchmarks).
   */
  async previewHtml(meetingId: number, kind: DocumentKind): Promise<string> {
    const resolution = await this.adoptedOf(meetingId);
    if (!resolution) throw new DomainError('invalid_state', '该案件的评价决议尚未表决通过，没有可预览的文书');
    const planned = this.plan(await this.contents.of(resolution)).find((p) => p.kind === kind);
    if (!planned) throw new DomainError('not_found', '本决议没有这种文书');
    return this.html(planned, this.clock.now().getTime(), `${this.config.DOC_NUMBER_PREFIX}${DOCUMENT_KINDS[kind].mark}〔预览〕`, '0'.repeat(16), '（预览）', await this.auditHeadText());
  }

  async preview(meetingId: number, kind: string): Promise<Buffer> {
    if (!(kind in DOCUMENT_KINDS)) throw new DomainError('not_found', '没有这种文书');
    return this.renderer.render(await this.previewHtml(meetingId, kind as DocumentKind));
  }

  /**
   * Starts Chromium and renders a throw-away notice on each of its pages (main.ts, at start-up).
   * Left to the first document asked for, the browser's launch (a dozen processes) and each
   * page's first render landed on a batch's first seconds, beside the requests being served.
   */
  /** Resolves true once ready, false if the service stopped first. */
  async warmUp(): Promise<boolean> {
    const planned: Planned = { kind: 'notice', departmentId: null, title: '文书服务启动检查', addressee: '—', content: {} };
    const html = await this.html(planned, this.clock.now().getTime(), '—', '0'.repeat(16), '—', '—');
    try {
      await Promise.all(Array.from({ length: this.config.PDF_CONCURRENCY }, () => this.renderer.render(html)));
      return true;
    } catch (error) {
      // Stopped before it was ready (a short-lived run): nothing to report.
      if (!this.renderer.closing) throw error;
      return false;
    }
  }

  /** The audit chain head as a document prints it: the state of the log when it was issued. */
  private async auditHeadText(): Promise<string> {
    const head = await this.chain.head();
    return head ? `#${head.id} ${head.hash.slice(0, 16)}` : '—';
  }

  private async html(p: Planned, now: number, number: string, code: string, decisionNumber: string, auditHead: string): Promise<string> {
    const base = this.config.PUBLIC_BASE_URL.replace(/\/$/, '');
    const verifyUrl = `${base}/verify`;
    return this.templates.render(p.kind, {
      auditHead,
      ...p.content,
      decisionNumber,
      issuer: this.config.DOC_ISSUER,
      city: this.config.DOC_CITY,
      addressee: p.addressee,
      doc: { title: p.title, number, code: groupedCode(code), date: documentDate(now, this.config.APP_TIMEZONE) },
      verifyUrl,
      // Straight to the document check (the printed /verify also forwards a typed code there).
      qrSvg: await QRCode.toString(`${base}/verify/documents?code=${code}`, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' }),
    });
  }

  /** Which documents the resolution calls for, each with its addressee and content. */
  private plan(c: ResolutionContent): Planned[] {
    const date = (ms: number | null) => (ms ? documentDate(ms, this.config.APP_TIMEZONE) : null);
    const measures = c.measures.map((m) => ({ ...m, due: date(m.dueAt) }));
    const shared = {
      kase: { caseNumber: c.kase.caseNumber, title: c.kase.title, demandSummary: c.kase.demandSummary, handlingResult: c.kase.handlingResult, handlingDate: c.kase.handlingDate, petitionerName: c.kase.petitionerName },
      meetingDate: date(c.meeting.openedAt ?? c.meeting.scheduledAt),
      findingLabel: c.findingLabel,
      panelSize: c.members.length,
    };
    const departmentNames = c.departments.map((d) => d.name).join('、');
    const subject = `“${c.kase.title}”信访事项`;
    const planned: Planned[] = [
      {
        kind: 'decision', departmentId: null, addressee: departmentNames, title: `关于${subject}的评价决议书`,
        content: { ...shared, members: c.members, drawCodes: c.drawCodes, meetingId: c.meeting.id, voteRuleLabel: c.voteRuleLabel, steps: c.steps, items: c.items, dissents: c.dissents, measures, measuresHeading: c.dissents.length ? '六' : '五' },
      },
    ];
    for (const d of c.departments) {
      const own = measures.filter((m) => m.departmentId === d.id);
      if (own.length) planned.push({ kind: 'assignment', departmentId: d.id, addressee: d.name, title: `关于落实${subject}评价决议的交办函`, content: { ...shared, measures: own } });
    }
    planned.push(
      {
        kind: 'notice', departmentId: null, addressee: c.kase.petitionerName, title: `${subject}评价结果告知书`,
        content: { ...shared, findingExplanation: c.finding ? FINDING_EXPLANATIONS[c.finding] : '', measures: measures.filter((m) => m.kind !== 'routing') },
      },
      {
        kind: 'facts', departmentId: null, addressee: [c.kase.petitionerName, departmentNames].filter(Boolean).join('、'), title: `${subject}事实确认书`,
        content: { ...shared, factStep: c.steps[0], keyFacts: c.keyFacts },
      },
    );
    return planned;
  }

  private async nextSerials(year: number): Promise<Record<DocumentKind, number>> {
    const rows: { kind: DocumentKind; last: number }[] = await this.dataSource.query(`SELECT kind, MAX(serial) AS last FROM document WHERE year = ? GROUP BY kind`, [year]);
    const next = { decision: 1, assignment: 1, notice: 1, facts: 1 };
    for (const r of rows) next[r.kind] = r.last + 1;
    return next;
  }

  /** The meeting's resolution in force: the newest adopted version, or null before adoption. */
  adoptedOf(meetingId: number): Promise<Resolution | null> {
    return this.dataSource.getRepository(Resolution).findOne({ where: { meetingId, status: 'adopted' }, order: { version: 'DESC' } });
  }

  forResolution(resolutionId: number): Promise<IssuedDocument[]> {
    return this.dataSource.getRepository(IssuedDocument).find({ where: { resolutionId }, order: { id: 'ASC' } });
  }

  /** Every document of a case, newest resolution version first. */
  forCase(caseId: number): Promise<IssuedDocument[]> {
    return this.dataSource.getRepository(IssuedDocument).find({ where: { caseId }, order: { resolutionVersion: 'DESC', id: 'ASC' } });
  }

  /**
   * The PDF, for whoever may have it: the office and the auditor every document, a liaison
   * only assignment letters to their own department (anything else is "not found").
   */
  async file(documentId: number, user: UserAccount): Promise<{ document: IssuedDocument; content: Buffer }> {
    const document = await this.dataSource.getRepository(IssuedDocument).findOneBy({ id: documentId });
    const allowed = document && (user.role !== 'liaison' || (document.kind === 'assignment' && document.departmentId === user.departmentId));
    if (!document || !allowed) throw new DomainError('not_found', '没有找到该文书');
    return { document, content: await this.contentOf(document) };
  }

  async contentOf(document: IssuedDocument): Promise<Buffer> {
    const content = await this.store.read(document.sha256);
    if (!content) throw new DomainError('not_found', '文书文件已丢失，请联系系统管理员');
    return content;
  }

  /** What the public verify page shows for a code as typed (spaces, dashes): no names, no personal data. */
  async verify(typed: string) {
    const code = normalizeVerificationCode(typed);
    const document = code ? await this.dataSource.getRepository(IssuedDocument).findOneBy({ verificationCode: code }) : null;
    if (!document) return null;
    const kase = await this.dataSource.query(`SELECT caseNumber FROM petition_case WHERE id = ?`, [document.caseId]);
    return {
      kindLabel: DOCUMENT_KINDS[document.kind].label,
      number: document.number,
      caseNumber: kase[0]?.caseNumber as string,
      issuer: this.config.DOC_ISSUER,
      issuedAt: document.issuedAt,
      sha256: document.sha256,
      bytes: document.bytes,
      current: document.status === 'current',
      supersededAt: document.supersededAt,
      supersededByResolutionVersion: document.supersededByResolutionVersion,
      resolutionVersion: document.resolutionVersion,
    };
  }
}
