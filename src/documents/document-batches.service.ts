import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Between, DataSource } from 'typeorm';
import yazl from 'yazl';
import { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { monthBounds, parseMonth } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { Resolution } from '../evaluations/evaluation.entities';
import { DOCUMENT_KINDS } from './domain/official-document';
import { DocumentsService } from './documents.service';
import { IssuedDocument } from './issued-document.entity';

export interface BatchJob {
  id: string;
  label: string;
  status: 'running' | 'done' | 'failed';
  /** Resolutions finished, and the fraction of the one in progress. */
  done: number;
  total: number;
  percent: number;
  documents: number;
  error: string | null;
  startedBy: number | null;
  startedAt: number;
  zip: Buffer | null;
  fileName: string;
}

/** Finished batches are kept this long for download, then dropped. */
const KEEP_MS = 60 * 60 * 1000;
const MAX_JOBS = 20;

/**
 * Batch issuing: every document of one resolution, or of every resolution adopted in a month,
 * issued where still missing and packed into one zip. Runs in the background; the page polls
 * its progress. Rendering goes through the renderer's bounded queue like any other document.
 */
@Injectable()
export class DocumentBatchesService {
  private readonly jobs = new Map<string, BatchJob>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly documents: DocumentsService,
    private readonly config: AppConfig,
  ) {}

  async start(scope: { meetingId?: number; month?: string }, actor: Actor): Promise<BatchJob> {
    this.prune();
    if ([...this.jobs.values()].filter((j) => j.status === 'running').length >= 2) throw new DomainError('invalid_state', '已有批量任务正在进行，请等它完成后再开始新的任务');
    const { meetingIds, label, fileName } = await this.resolve(scope);
    if (!meetingIds.length) throw new DomainError('validation', '所选范围内没有已通过的评价决议', { month: '该月没有已通过的评价决议' });
    const job: BatchJob = { id: randomBytes(8).toString('hex'), label, status: 'running', done: 0, total: meetingIds.length, percent: 0, documents: 0, error: null, startedBy: actor.userId, startedAt: Date.now(), zip: null, fileName };
    this.jobs.set(job.id, job);
    void this.run(job, meetingIds, actor);
    return job;
  }

  get(id: string, actor: Actor): BatchJob {
    const job = this.jobs.get(id);
    if (!job || (job.startedBy !== actor.userId && actor.role !== 'admin')) throw new DomainError('not_found', '没有找到该批量任务，可能已过期，请重新生成');
    return job;
  }

  private async run(job: BatchJob, meetingIds: number[], actor: Actor): Promise<void> {
    try {
      const all: IssuedDocument[] = [];
      for (const meetingId of meetingIds) {
        const issued = await this.documents.issue(meetingId, actor, (done, total) => {
          job.percent = Math.floor(((job.done + done / total) / job.total) * 100);
        });
        all.push(...issued.filter((d) => d.status === 'current'));
        job.done++;
        job.documents = all.length;
      }
      job.zip = await this.pack(all);
      job.percent = 100;
      job.status = 'done';
    } catch (error) {
      job.status = 'failed';
      job.error = error instanceof DomainError ? error.message : '批量生成失败，请稍后重试';
    }
  }

  private async pack(documents: IssuedDocument[]): Promise<Buffer> {
    const zip = new yazl.ZipFile();
    for (const d of documents) {
      const content = await this.documents.contentOf(d);
      // Already compressed streams inside a PDF: store them rather than deflate again.
      zip.addBuffer(content, `${d.number}-${DOCUMENT_KINDS[d.kind].label}.pdf`, { compress: false, mtime: new Date(d.issuedAt) });
    }
    zip.end();
    const chunks: Buffer[] = [];
    for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  private async resolve(scope: { meetingId?: number; month?: string }): Promise<{ meetingIds: number[]; label: string; fileName: string }> {
    if (scope.meetingId) {
      const kase = await this.dataSource.query(`SELECT c.caseNumber FROM meeting m JOIN petition_case c ON c.id = m.caseId WHERE m.id = ?`, [scope.meetingId]);
      if (!kase.length) throw new DomainError('not_found', '找不到该评价会议');
      return { meetingIds: [scope.meetingId], label: `案件 ${kase[0].caseNumber} 的全部文书`, fileName: `${kase[0].caseNumber}-文书.zip` };
    }
    if (!scope.month) throw new DomainError('validation', '请选择月份', { month: '请选择月份，格式如 2026-11' });
    const [year, month] = parseMonth(scope.month);
    const [from, to] = monthBounds(year, month, this.config.APP_TIMEZONE);
    const resolutions = await this.dataSource.getRepository(Resolution).find({ where: { status: 'adopted', decidedAt: Between(from, to - 1) }, order: { decidedAt: 'ASC' } });
    return { meetingIds: [...new Set(resolutions.map((r) => r.meetingId))], label: `${year}年${month}月通过的决议的全部文书`, fileName: `${scope.month}-文书.zip` };
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, job] of this.jobs) if (job.status !== 'running' && now - job.startedAt > KEEP_MS) this.jobs.delete(id);
    while (this.jobs.size >= MAX_JOBS) {
      const oldest = [...this.jobs.values()].find((j) => j.status !== 'running');
      if (!oldest) break;
      this.jobs.delete(oldest.id);
    }
  }
}
