import { createHash } from 'node:crypto';

/**
 * The audit log as a hash chain: each entry's hash covers the previous entry's hash and the
 * entry's own content in a fixed order, so editing, deleting or reordering any entry breaks
 * every hash after it. Cutting off the newest entries leaves a valid but shorter chain: that is
 * caught by comparing with a head published elsewhere (printed on every PDF, exported daily).
 */
export const GENESIS = '0'.repeat(64);

export interface ChainedContent {
  at: number;
  atText: string;
  actorId: number | null;
  actorName: string;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string | null;
  summary: string;
  before: string | null;
  after: string | null;
  ip: string;
  requestId: string;
}

export interface ChainedEntry extends ChainedContent {
  id: number;
  prevHash: string;
  hash: string;
}

/**
 * The content as one canonical string: fixed field order, JSON-escaped. Text is taken as SQLite
 * will give it back: UTF-8 has no lone surrogates (user text cut inside a pair), so they become
 * U+FFFD here as they do on the way into the database.
 */
export function canonicalContent(e: ChainedContent): string {
  const text = (v: string | null) => (v === null ? null : wellFormed(v));
  return JSON.stringify([e.at, text(e.atText), e.actorId, text(e.actorName), text(e.actorRole), text(e.action), text(e.entityType), text(e.entityId), text(e.summary), text(e.before), text(e.after), text(e.ip), text(e.requestId)]);
}

function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

export function entryHash(prevHash: string, e: ChainedContent): string {
  return createHash('sha256').update(`${prevHash}\n${canonicalContent(e)}`).digest('hex');
}

export type ChainVerdict =
  | { ok: true; entries: number; head: { id: number; hash: string } | null }
  | { ok: false; entries: number; firstBadId: number; reason: string };

/** A head published earlier (printed on documents, exported daily): it must still be in the chain. */
export interface PublishedHead {
  day: string;
  entryId: number;
  hash: string;
}

/**
 * Walks entries in id order from a starting hash (GENESIS, or an archive point's head) and
 * names the first entry that does not fit. Feed it in batches. Published heads met on the way
 * must match; one never met (the log cut off before it) fails the verdict.
 */
export class ChainVerifier {
  private prev: string;
  private lastId = 0;
  private count = 0;
  private bad: { id: number; reason: string } | null = null;
  private readonly pending: Map<number, PublishedHead>;

  constructor(start: { hash: string; id: number } = { hash: GENESIS, id: 0 }, heads: PublishedHead[] = []) {
    this.prev = start.hash;
    this.lastId = start.id;
    this.pending = new Map(heads.filter((h) => h.entryId > start.id).map((h) => [h.entryId, h]));
  }

  feed(entries: ChainedEntry[]): void {
    for (const e of entries) {
      if (this.bad) return;
      this.count++;
      if (e.id <= this.lastId) this.bad = { id: e.id, reason: '条目顺序被调换' };
      else if (e.prevHash !== this.prev) this.bad = { id: e.id, reason: '与前一条目的哈希不衔接（前面的条目被删除、插入或调换）' };
      else if (e.hash !== entryHash(e.prevHash, e)) this.bad = { id: e.id, reason: '条目内容与其哈希不符（内容被改动）' };
      else {
        const head = this.pending.get(e.id);
        if (head && head.hash !== e.hash) this.bad = { id: e.id, reason: `与${head.day}公布的链头不符：日志被改写` };
        this.pending.delete(e.id);
        this.prev = e.hash;
        this.lastId = e.id;
      }
    }
  }

  /** The verdict so far; `final` when every entry has been fed, so unmet published heads count. */
  verdict(final = true): ChainVerdict {
    if (this.bad) return { ok: false, entries: this.count, firstBadId: this.bad.id, reason: this.bad.reason };
    const missing = final ? [...this.pending.values()].sort((a, b) => a.entryId - b.entryId)[0] : undefined;
    if (missing) return { ok: false, entries: this.count, firstBadId: missing.entryId, reason: `${missing.day}公布的链头（#${missing.entryId}）已不在日志中：日志被截断或改写` };
    return { ok: true, entries: this.count, head: this.lastId ? { id: this.lastId, hash: this.prev } : null };
  }
}
