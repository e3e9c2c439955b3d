import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { writeFileDurably } from '../common/content-store';
import { Executor, rawRows, rawRun } from '../database/raw-rows';
import { ChainedEntry, ChainVerdict, ChainVerifier, GENESIS, PublishedHead as ChainHead } from './domain/audit-chain';
import { retentionCutoff } from './domain/retention';

const BATCH = 5000;
const COLUMNS = 'id, at, atText, actorId, actorName, actorRole, action, entityType, entityId, summary, before, after, ip, requestId, prevHash, hash';

export interface PublishedHead extends ChainHead {
  exportedAt: number;
}

/**
 * Checks the audit hash chain end to end, tells the current head (printed on documents), and
 * keeps the daily published heads — in the database and as files under data/audit-heads/,
 * meant to be copied off the machine — so a truncated or rewritten log shows against them.
 */
@Injectable()
export class AuditChainService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async verify(): Promise<ChainVerdict & { heads: (PublishedHead & { present: boolean })[]; archives: number }> {
    const heads = await this.publishedHeads();
    const archives = await this.archives();
    const result = (verdict: ChainVerdict) => ({
      ...verdict,
      heads: heads.map((h) => ({ ...h, present: verdict.ok || verdict.firstBadId !== h.entryId })),
      archives: archives.length,
    });
    // Archived segments first: each file must chain on from the one before and end where it says.
    let start = { id: 0, hash: GENESIS };
    for (const a of archives) {
      const problem = this.checkArchive(a, start, heads);
      if (problem) return result({ ok: false, entries: 0, firstBadId: a.fromId, reason: problem });
      start = { id: a.upToId, hash: a.upToHash };
    }
    const verifier = new ChainVerifier(start, heads);
    for (let after = 0; ; ) {
      const rows = await rawRows<unknown[]>(this.dataSource, `SELECT ${COLUMNS} FROM audit_entry WHERE id > ? ORDER BY id LIMIT ${BATCH}`, [after]);
      if (!rows.length) break;
      const entries = rows.map(toEntry);
      verifier.feed(entries);
      after = entries[entries.length - 1].id;
    }
    return result(verifier.verdict());
  }

  /** The newest entry's id and hash: what a document prints as the state of the log when it was issued. */
  async head(db: Executor = this.dataSource): Promise<{ id: number; hash: string } | null> {
    const [row] = await rawRows<[number, string]>(db, `SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1`);
    return row ? { id: row[0], hash: row[1] } : null;
  }

  /** Publishes today's head (once a day, inside the caller's UnitOfWork): a row, and a file to copy elsewhere. */
  async exportHead(m: EntityManager, day: string): Promise<PublishedHead | null> {
    const head = await this.head(m);
    if (!head) return null;
    const published = { day, entryId: head.id, hash: head.hash, exportedAt: this.clock.now().getTime() };
    writeFileDurably(path.join(this.config.dataDir, 'audit-heads', `${day}.json`), `${JSON.stringify(published)}\n`);
    await rawRun(m, `INSERT INTO audit_head (day, entryId, hash, exportedAt) VALUES (?, ?, ?, ?)
      ON CONFLICT (day) DO UPDATE SET entryId = excluded.entryId, hash = excluded.hash, exportedAt = excluded.exportedAt`, [day, head.id, head.hash, published.exportedAt]);
    return published;
  }

  /**
   * Moves entries older than six calendar months (retentionCutoff) out of the live log, into a
   * JSON-lines file under data/audit-archive/ with its SHA-256 and the chain head it ends in; the
   * live chain then verifies from that head. Runs inside the caller's UnitOfWork.
   */
  async archiveOld(m: EntityManager): Promise<{ entries: number; file: string | null }> {
    const cutoff = retentionCutoff(this.clock.now().getTime(), this.config.APP_TIMEZONE);
    // Everything before the first entry still inside the period (ids follow insertion order).
    const [[upTo]] = await rawRows<[number]>(m, `SELECT COALESCE((SELECT MIN(id) FROM audit_entry WHERE at >= ?), (SELECT COALESCE(MAX(id), 0) + 1 FROM audit_entry))`, [cutoff]);
    const run = (await rawRows<unknown[]>(m, `SELECT ${COLUMNS} FROM audit_entry WHERE id < ? ORDER BY id`, [upTo])).map(toEntry);
    if (!run.length) return { entries: 0, file: null };
    const last = run[run.length - 1];
    const file = path.join(this.config.dataDir, 'audit-archive', `audit-${run[0].id}-${last.id}.jsonl`);
    const content = run.map((e) => JSON.stringify(e)).join('\n') + '\n';
    // On disk for good before the rows go: a power cut may leave an archive file, never a gap.
    writeFileDurably(file, content);
    await rawRun(m, `INSERT INTO audit_archive (fromId, upToId, upToHash, entries, file, sha256, archivedAt) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      [run[0].id, last.id, last.hash, run.length, path.basename(file), createHash('sha256').update(content).digest('hex'), this.clock.now().getTime()]);
    // The delete trigger lets through exactly the entries an archive row now covers.
    await rawRun(m, `DELETE FROM audit_entry WHERE id BETWEEN ? AND ?`, [run[0].id, last.id]);
    return { entries: run.length, file };
  }

  private async archives(): Promise<{ fromId: number; upToId: number; upToHash: string; file: string; sha256: string }[]> {
    return (await rawRows<[number, number, string, string, string]>(this.dataSource, `SELECT fromId, upToId, upToHash, file, sha256 FROM audit_archive ORDER BY id`))
      .map(([fromId, upToId, upToHash, file, sha256]) => ({ fromId, upToId, upToHash, file, sha256 }));
  }

  /** An archive file is intact and chains from `start` to its recorded head; else what is wrong. */
  private checkArchive(a: { fromId: number; upToId: number; upToHash: string; file: string; sha256: string }, start: { id: number; hash: string }, heads: PublishedHead[]): string | null {
    const full = path.join(this.config.dataDir, 'audit-archive', a.file);
    if (!fs.existsSync(full)) return `归档文件 ${a.file} 缺失`;
    const content = fs.readFileSync(full, 'utf8');
    if (createHash('sha256').update(content).digest('hex') !== a.sha256) return `归档文件 ${a.file} 的内容与归档记录不符`;
    const verifier = new ChainVerifier(start, heads);
    verifier.feed(content.trim().split('\n').map((line) => JSON.parse(line) as ChainedEntry));
    const verdict = verifier.verdict(false);
    if (!verdict.ok) return `归档文件 ${a.file} 中 #${verdict.firstBadId}：${verdict.reason}`;
    if (verdict.head?.id !== a.upToId || verdict.head.hash !== a.upToHash) return `归档文件 ${a.file} 未止于记录的链头`;
    return null;
  }

  /** The heads in the table and in the exported files (which may have been copied back from elsewhere). */
  async publishedHeads(): Promise<PublishedHead[]> {
    const rows = (await rawRows<[string, number, string, number]>(this.dataSource, `SELECT day, entryId, hash, exportedAt FROM audit_head ORDER BY day DESC`)).map(([day, entryId, hash, exportedAt]) => ({ day, entryId, hash, exportedAt }));
    const dir = path.join(this.config.dataDir, 'audit-heads');
    const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^\d{4}-\d{2}-\d{2}\.json$/.test(f)).map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as PublishedHead) : [];
    const differing = files.filter((f) => !rows.some((r) => r.day === f.day && r.entryId === f.entryId && r.hash === f.hash));
    return [...rows, ...differing];
  }
}

function toEntry(r: unknown[]): ChainedEntry {
  const [id, at, atText, actorId, actorName, actorRole, action, entityType, entityId, summary, before, after, ip, requestId, prevHash, hash] = r as [number, number, string, number | null, string, string, string, string, string | null, string, string | null, string | null, string, string, string, string];
  return { id, at, atText, actorId, actorName, actorRole, action, entityType, entityId, summary, before, after, ip, requestId, prevHash, hash };
}
