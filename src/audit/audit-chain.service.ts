import { Injectable } from '@nestjs/common';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { rawRows, rawRun } from '../database/raw-rows';
import { ChainedEntry, ChainVerdict, ChainVerifier } from './domain/audit-chain';

const BATCH = 5000;
const COLUMNS = 'id, at, atText, actorId, actorName, actorRole, action, entityType, entityId, summary, before, after, ip, requestId, prevHash, hash';

export interface PublishedHead {
  day: string;
  entryId: number;
  hash: string;
  exportedAt: number;
  present?: boolean;
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

  verify(): ChainVerdict & { heads: PublishedHead[] } {
    const verifier = new ChainVerifier();
    const hashes = new Map<number, string>();
    for (let after = 0; ; ) {
      const rows = rawRows<unknown[]>(this.dataSource, `SELECT ${COLUMNS} FROM audit_entry WHERE id > ? ORDER BY id LIMIT ${BATCH}`, [after]);
      if (!rows.length) break;
      const entries = rows.map(toEntry);
      verifier.feed(entries);
      for (const e of entries) hashes.set(e.id, e.hash);
      after = entries[entries.length - 1].id;
    }
    const heads = this.publishedHeads().map((h) => ({ ...h, present: hashes.get(h.entryId) === h.hash }));
    const verdict = verifier.verdict();
    const missing = heads.find((h) => !h.present);
    if (verdict.ok && missing) {
      return { ok: false, entries: verdict.entries, firstBadId: missing.entryId, reason: `${missing.day}公布的链头（#${missing.entryId}）已不在日志中：日志被截断或改写`, heads };
    }
    return { ...verdict, heads };
  }

  /** The newest entry's id and hash: what a document prints as the state of the log when it was issued. */
  head(): { id: number; hash: string } | null {
    const [row] = rawRows<[number, string]>(this.dataSource, `SELECT id, hash FROM audit_entry ORDER BY id DESC LIMIT 1`);
    return row ? { id: row[0], hash: row[1] } : null;
  }

  /** Publishes today's head (once a day, inside the caller's UnitOfWork): a row, and a file to copy elsewhere. */
  exportHead(day: string): PublishedHead | null {
    const head = this.head();
    if (!head) return null;
    const published = { day, entryId: head.id, hash: head.hash, exportedAt: this.clock.now().getTime() };
    const dir = path.join(this.config.dataDir, 'audit-heads');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${day}.json`), `${JSON.stringify(published)}\n`);
    rawRun(this.dataSource, `INSERT OR REPLACE INTO audit_head (day, entryId, hash, exportedAt) VALUES (?, ?, ?, ?)`, [day, head.id, head.hash, published.exportedAt]);
    return published;
  }

  publishedHeads(): PublishedHead[] {
    return rawRows<[string, number, string, number]>(this.dataSource, `SELECT day, entryId, hash, exportedAt FROM audit_head ORDER BY day DESC`).map(([day, entryId, hash, exportedAt]) => ({ day, entryId, hash, exportedAt }));
  }
}

function toEntry(r: unknown[]): ChainedEntry {
  const [id, at, atText, actorId, actorName, actorRole, action, entityType, entityId, summary, before, after, ip, requestId, prevHash, hash] = r as [number, number, string, number | null, string, string, string, string, string | null, string, string | null, string | null, string, string, string, string];
  return { id, at, atText, actorId, actorName, actorRole, action, entityType, entityId, summary, before, after, ip, requestId, prevHash, hash };
}
