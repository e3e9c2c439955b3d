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

/** The content as one canonical string: fixed field order, JSON-escaped. */
export function canonicalContent(e: ChainedContent): string {
  return JSON.stringify([e.at, e.atText, e.actorId, e.actorName, e.actorRole, e.action, e.entityType, e.entityId, e.summary, e.before, e.after, e.ip, e.requestId]);
}

export function entryHash(prevHash: string, e: ChainedContent): string {
  return createHash('sha256').update(`${prevHash}\n${canonicalContent(e)}`).digest('hex');
}

export type ChainVerdict =
  | { ok: true; entries: number; head: { id: number; hash: string } | null }
  | { ok: false; entries: number; firstBadId: number; reason: string };

/**
 * Walks entries in id order from a starting hash (GENESIS, or an archive point's head) and
 * names the first entry that does not fit. Feed it in batches with the returned state.
 */
export class ChainVerifier {
  private prev: string;
  private lastId = 0;
  private count = 0;
  private bad: { id: number; reason: string } | null = null;

  constructor(start: { hash: string; id: number } = { hash: GENESIS, id: 0 }) {
    this.prev = start.hash;
    this.lastId = start.id;
  }

  feed(entries: ChainedEntry[]): void {
    for (const e of entries) {
      if (this.bad) return;
      this.count++;
      if (e.id <= this.lastId) this.bad = { id: e.id, reason: '条目顺序被调换' };
      else if (e.prevHash !== this.prev) this.bad = { id: e.id, reason: '与前一条目的哈希不衔接（前面的条目被删除、插入或调换）' };
      else if (e.hash !== entryHash(e.prevHash, e)) this.bad = { id: e.id, reason: '条目内容与其哈希不符（内容被改动）' };
      else {
        this.prev = e.hash;
        this.lastId = e.id;
      }
    }
  }

  verdict(): ChainVerdict {
    if (this.bad) return { ok: false, entries: this.count, firstBadId: this.bad.id, reason: this.bad.reason };
    return { ok: true, entries: this.count, head: this.lastId ? { id: this.lastId, hash: this.prev } : null };
  }
}

/** Whether a head published earlier (id and hash) is still in the chain: false after truncation or rewriting. */
export function headStillPresent(published: { id: number; hash: string }, entries: Pick<ChainedEntry, 'id' | 'hash'>[]): boolean {
  return entries.some((e) => e.id === published.id && e.hash === published.hash);
}
