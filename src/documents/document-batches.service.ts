import { Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Between, DataSource, In, LessThan, MoreThan } from 'typeorm';
import yazl from 'yazl';
import { Actor } from '../common/actor';
import { DomainError } from '../common/domain-error';
import { GiveWay } from '../common/give-way';
import { monthBounds, parseMonth } from '../common/time-format';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { UnitOfWork } from '../database/unit-of-work';
import { Resolution } from '../evaluations/evaluation.entities';
import { DOCUMENT_KINDS } from './domain/official-document';
import { DocumentBatch } from './document-batch.entity';
import { DocumentsService } from './documents.service';
import { IssuedDocument } from './issued-document.entity';

/** Finished batches (and their zips) are kept this long for download, then dropped. */
const KEEP_MS = 60 * 60 * 1000;
/** A running job not heard of for this long belonged to an instance that stopped. */
const SILENT_MS = 10 * 60 * 1000;
/** Progress is written at most this often (and at every finished resolution). */
const PROGRESS_EVERY_MS = 500;
/**
 * Between two resolutions a batch gives way to requests: while the event loop is more than half
 * busy it waits, in 100 ms steps, 2 s at most (see GiveWay).
 */
const GIVE_WAY = { busy: 0.5, stepMs: 100, maxWaitMs: 2000 };

/**
 * Batch issuing: every document of one resolution, or of every resolution adopted in a month,
 * issued where still missing and packed into one zip. Runs in the background on the instance
 * that started it; the job's row in the database says how far it got and where its zip is
 * (data/batches/), so the progress page and the download work on any instance. Rendering goes
 * through the renderer's bounded queue like any other document.
 */
@Injectable()
export class DocumentBatchesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly documents: DocumentsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async start(scope: { meetingId?: number; month?: string }, actor: Actor): Promise<DocumentBatch> {
    await this.prune();
    const { meetingIds, label, fileName } = await this.resolve(scope);
    if (!meetingIds.length) throw new DomainError('validation', '所选范围内没有已通过的评价决议', { month: '该月没有已通过的评价决议' });
    const now = this.clock.now().getTime();
    const job = await this.uow.run(async (m) => {
      // Two at a time across all instances: each keeps Chromium busy.
      const running = await m.countBy(DocumentBatch, { status: 'running', updatedAt: MoreThan(now - SILENT_MS) });
      if (running >= 2) throw new DomainError('invalid_state', '已有批量任务正在进行，请等它完成后再开始新的任务');
      const row = m.create(DocumentBatch, {
        id: randomBytes(8).toString('hex'), label, fileName, status: 'running', done: 0, total: meetingIds.length, percent: 0, documents: 0,
        error: null, zipSha256: null, zipBytes: null, startedBy: actor.userId, startedAt: now, updatedAt: now,
      });
      await m.insert(DocumentBatch, row);
      return row;
    });
    void this.run(job, meetingIds, actor);
    return job;
  }

  /** The job as the database has it; one silent too long is reported failed. */
  async get(id: string, actor: Actor): Promise<DocumentBatch> {
    const job = await this.dataSource.getRepository(DocumentBatch).findOneBy({ id });
    if (!job || (job.startedBy !== actor.userId && actor.role !== 'admin')) throw new DomainError('not_found', '没有找到该批量任务，可能已过期，请重新生成');
    if (job.status === 'running' && this.clock.now().getTime() - job.updatedAt > SILENT_MS) {
      return { ...job, status: 'failed', error: '生成该任务的服务实例已停止，请重新生成' };
    }
    return job;
  }

  /** The user's jobs still kept (an hour), newest first, so a zip can be found again after leaving its page. */
  async recent(actor: Actor): Promise<DocumentBatch[]> {
    const jobs = await this.dataSource.getRepository(DocumentBatch).find({
      where: actor.role === 'admin' ? {} : { startedBy: actor.userId ?? -1 },
      order: { startedAt: 'DESC' },
      take: 10,
    });
    const now = this.clock.now().getTime();
    return jobs
      .filter((job) => now - job.updatedAt <= KEEP_MS)
      .map((job) => (job.status === 'running' && now - job.updatedAt > SILENT_MS ? { ...job, status: 'failed' as const } : job));
  }

  /** A finished job's zip. */
  async zipOf(job: DocumentBatch): Promise<Buffer> {
    const zip = job.status === 'done' ? await fs.promises.readFile(this.zipPath(job.id)).catch(() => null) : null;
    if (!zip) throw new DomainError('invalid_state', '批量任务尚未完成，请稍候');
    return zip;
  }

  /** Zips are kept per job (two jobs over the same documents make the same bytes, but expire apart). */
  private zipPath(id: string): string {
    return path.join(this.config.dataDir, 'batches', `${id}.zip`);
  }

  private async saveZip(id: string, zip: Buffer): Promise<void> {
    const file = this.zipPath(id);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    await fs.promises.writeFile(`${file}.tmp`, zip);
    await fs.promises.rename(`${file}.tmp`, file);
  }

  private async run(job: DocumentBatch, meetingIds: number[], actor: Actor): Promise<void> {
    let written = 0;
    let writing: Promise<void> = Promise.resolve();
    const report = (fields: Partial<DocumentBatch>, force = false): Promise<void> => {
      Object.assign(job, fields);
      const now = this.clock.now().getTime();
      if (!force && now - written < PROGRESS_EVERY_MS) return writing;
      written = now;
      // One write at a time, each taking the job as it is when it runs: an older state can never
      // land last (on PostgreSQL shared units commit in no particular order).
      writing = writing.catch(() => undefined).then(() => {
        const { done, percent, documents, status, error, zipSha256, zipBytes } = job;
        return this.uow.run(async (m) => void (await m.update(DocumentBatch, { id: job.id }, { done, percent, documents, status, error, zipSha256, zipBytes, updatedAt: this.clock.now().getTime() })), { shared: true });
      });
      return writing;
    };
    try {
      const all: IssuedDocument[] = [];
      const giveWay = new GiveWay(GIVE_WAY);
      for (const meetingId of meetingIds) {
        await giveWay.turn();
        const issued = await this.documents.issue(meetingId, actor, (done, total) => {
          void report({ percent: Math.floor(((job.done + done / total) / job.total) * 100) }).catch(() => undefined);
        });
        all.push(...issued.filter((d) => d.status === 'current'));
        await report({ done: job.done + 1, documents: all.length }, true);
      }
      const zip = await this.pack(all);
      await this.saveZip(job.id, zip);
      await report({ zipSha256: createHash('sha256').update(zip).digest('hex'), zipBytes: zip.length, percent: 100, status: 'done' }, true);
    } catch (error) {
      await report({ status: 'failed', error: error instanceof DomainError ? error.message : '批量生成失败，请稍后重试' }, true).catch(() => undefined);
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

  /** Drops finished jobs older than KEEP_MS, and their zips. */
  private async prune(): Promise<void> {
    const old = await this.dataSource.getRepository(DocumentBatch).findBy({ updatedAt: LessThan(this.clock.now().getTime() - KEEP_MS) });
    if (!old.length) return;
    await this.uow.run((m) => m.delete(DocumentBatch, { id: In(old.map((j) => j.id)) }));
    for (const job of old) await fs.promises.rm(this.zipPath(job.id), { force: true });
  }
}
