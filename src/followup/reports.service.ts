import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { CaseStatus } from '../cases/domain/case-lifecycle';
import { Actor, systemActor } from '../common/actor';
import { Clock } from '../common/clock';
import { ContentStore } from '../common/content-store';
import { DomainError } from '../common/domain-error';
import { isoInZone, monthBounds, parseMonth } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { UnitOfWork } from '../database/unit-of-work';
import { rawRows } from '../database/raw-rows';
import { DocumentTemplates } from '../documents/document-templates';
import { documentDate } from '../documents/domain/official-document';
import { PdfRenderer } from '../documents/pdf-renderer';
import { CATEGORY_LABELS, Category } from '../pool/domain/categories';
import { reportFigures, ReportFigures } from './domain/report-figures';
import { MonthlyReport } from './followup.entities';
import { claimNotice } from './notice-claim';

/**
 * The dashboard's figures and the monthly analysis report (PDF): both from reportFigures over
 * the same rows, read straight from the tables, so the report's totals are the database's.
 */
@Injectable()
export class ReportsService implements OnApplicationBootstrap {
  private readonly store: ContentStore;
  private readonly templates = new DocumentTemplates();

  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly renderer: PdfRenderer,
  ) {
    this.store = new ContentStore(path.join(config.dataDir, 'reports'));
  }

  onApplicationBootstrap(): void {
    this.templates.prepare(['report']);
  }

  /** Figures for a month (YYYY-MM), as of its end or now, whichever is earlier. */
  async figures(month: string): Promise<ReportFigures> {
    const [year, m] = parseMonth(month);
    const [from, to] = monthBounds(year, m, this.config.APP_TIMEZONE);
    const q = <T extends unknown[]>(sql: string) => rawRows<T>(this.dataSource, sql);
    const [links, cases, events, visits, tasks, departments, seats] = await Promise.all([
      q<[number, number]>(`SELECT caseId, departmentId FROM case_department`),
      q<[number, string, number]>(`SELECT id, category, registeredAt FROM petition_case`),
      q<[number, number, CaseStatus]>(`SELECT caseId, at, toStatus FROM case_event WHERE toStatus IS NOT NULL ORDER BY at, id`),
      q<[number, number, 'settled' | 'unsettled']>(`SELECT caseId, visitedAt, outcome FROM return_visit`),
      q<[number, string, number | null, number, number | null]>(`SELECT departmentId, status, dueAt, createdAt, doneAt FROM measure WHERE departmentId IS NOT NULL`),
      q<[number, string]>(`SELECT id, name FROM department`),
      q<[string, number]>(`SELECT e.category, pm.respondedAt FROM panel_member pm JOIN evaluator e ON e.id = pm.evaluatorId WHERE pm.state = 'accepted' AND pm.respondedAt IS NOT NULL`),
    ]);
    const departmentsOf = new Map<number, number[]>();
    for (const [caseId, departmentId] of links) departmentsOf.set(caseId, [...(departmentsOf.get(caseId) ?? []), departmentId]);
    return reportFigures({
      from, to, now: this.clock.now().getTime(), timeZone: this.config.APP_TIMEZONE,
      cases: cases.map(([id, category, registeredAt]) => ({
        id, category, registeredAt, departmentIds: departmentsOf.get(id) ?? [],
      })),
      events: events.map(([caseId, at, toStatus]) => ({ caseId, at, toStatus })),
      visits: visits.map(([caseId, visitedAt, outcome]) => ({ caseId, visitedAt, outcome })),
      tasks: tasks.map(([departmentId, status, dueAt, createdAt, doneAt]) => ({ departmentId, status, dueAt, createdAt, doneAt })),
      departments: departments.map(([id, name]) => ({ id, name })),
      seats: seats.map(([category, at]) => ({ categoryLabel: CATEGORY_LABELS[category as Category] ?? category, at })),
    });
  }

  /**
   * Renders and keeps the month's report. With a claim key (the scheduler's), the report is
   * stored only by the first process to claim it; returns null when another got there first.
   */
  async generate(month: string, actor: Actor | null, claimKey?: string): Promise<MonthlyReport | null> {
    const [year, m] = parseMonth(month);
    // A month that has not begun has nothing to report; one before 2000 is a slip of the keyboard.
    const thisMonth = isoInZone(this.clock.now(), this.config.APP_TIMEZONE).slice(0, 7);
    if (month > thisMonth || year < 2000) throw new DomainError('validation', `请选择2000-01至${thisMonth}之间的月份`, { month: `请选择2000-01至${thisMonth}之间的月份` });
    const figures = await this.figures(month);
    const html = this.templates.render('report', {
      issuer: this.config.DOC_ISSUER, city: this.config.DOC_CITY, addressee: null, verifyUrl: '', qrSvg: '',
      doc: { title: `${year}年${m}月信访事项第三方评价工作分析报告`, number: '', code: '', date: documentDate(this.clock.now().getTime(), this.config.APP_TIMEZONE) },
      month: `${year}年${m}月`, f: figures, automatic: !actor, bars: barsOf(figures),
    });
    const pdf = await this.renderer.render(html);
    const sha256 = await this.store.save(pdf);
    const who = actor ?? systemActor('月度报告定时任务');
    return this.uow.run(async (tx) => {
      if (claimKey && !(await claimNotice(tx, claimKey, this.clock.now().getTime()))) return null;
      const report = await tx.save(MonthlyReport, tx.create(MonthlyReport, {
        month, figures: JSON.stringify(figures), sha256, bytes: pdf.length, automatic: !actor, generatedAt: this.clock.now().getTime(), generatedBy: actor?.userId ?? null,
      }));
      await this.audit.record(tx, who, { action: 'report.generated', entityType: 'monthly_report', entityId: report.id, summary: `生成${year}年${m}月分析报告（${actor ? '手动' : '自动'}）`, after: { month, sha256 } });
      return report;
    });
  }

  list(): Promise<MonthlyReport[]> {
    return this.dataSource.getRepository(MonthlyReport).find({ order: { month: 'DESC', id: 'DESC' }, take: 60 });
  }

  async file(id: number): Promise<{ report: MonthlyReport; content: Buffer }> {
    const report = await this.dataSource.getRepository(MonthlyReport).findOneBy({ id });
    const content = report ? await this.store.read(report.sha256) : null;
    if (!report || !content) throw new DomainError('not_found', '没有找到该报告');
    return { report, content };
  }
}


/** Bar widths (percent of the largest) for the report's CSS bar charts: no script in documents. */
function barsOf(f: ReportFigures) {
  const bars = (counts: { label: string; count: number }[]) => {
    const max = Math.max(1, ...counts.map((c) => c.count));
    return counts.map((c) => ({ ...c, width: Math.round((c.count / max) * 100) }));
  };
  return { byStatus: bars(f.byStatus), byCategory: bars(f.byCategory), byDepartment: bars(f.byDepartment.slice(0, 12)), overdueByDepartment: bars(f.overdueByDepartment), seatsByCategory: bars(f.seatsByCategory) };
}
