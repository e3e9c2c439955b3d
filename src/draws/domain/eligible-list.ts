import { createHash } from 'node:crypto';
import { CATEGORIES, Category } from '../../pool/domain/categories';

/**
 * The evaluators a draw may pick, as parallel typed arrays (one entry per evaluator, in
 * ascending id order): cheap to build from raw rows and to walk at a million entries.
 */
export interface EligibleList {
  ids: Int32Array;
  /** Index into CATEGORIES. */
  categories: Uint8Array;
  /** 1 when the evaluator's expertise matches the case category. */
  matches: Uint8Array;
  /** Times served on a panel before, for the served-less preference and the fairness report. */
  served: Uint32Array;
}

export interface EligibleEntry {
  id: number;
  category: Category;
  expertiseMatch: boolean;
  served: number;
}

const CATEGORY_INDEX = new Map<Category, number>(CATEGORIES.map((c, i) => [c, i]));

export function categoryIndex(category: Category): number {
  const index = CATEGORY_INDEX.get(category);
  if (index === undefined) throw new Error(`unknown category ${category}`);
  return index;
}

/** Builds the list from plain entries, sorting them by id. */
export function eligibleListOf(entries: EligibleEntry[]): EligibleList {
  const inOrder = entries.every((e, i) => i === 0 || entries[i - 1].id < e.id);
  const sorted = inOrder ? entries : [...entries].sort((a, b) => a.id - b.id);
  const list = emptyEligibleList(sorted.length);
  sorted.forEach((e, i) => {
    list.ids[i] = e.id;
    list.categories[i] = categoryIndex(e.category);
    list.matches[i] = e.expertiseMatch ? 1 : 0;
    list.served[i] = e.served;
  });
  return list;
}

export function emptyEligibleList(n: number): EligibleList {
  return { ids: new Int32Array(n), categories: new Uint8Array(n), matches: new Uint8Array(n), served: new Uint32Array(n) };
}

export function entriesOf(list: EligibleList): EligibleEntry[] {
  return Array.from(list.ids, (id, i) => ({ id, category: CATEGORIES[list.categories[i]], expertiseMatch: list.matches[i] === 1, served: list.served[i] }));
}

/**
 * SHA-256 over one line per evaluator, "id,category,match,served\n", in ascending id order
 * (docs/draw-algorithm.md §2). Any change to who is eligible, or to what weighs them, changes it.
 */
export function eligibleDigest(list: EligibleList): string {
  for (let i = 1; i < list.ids.length; i++) {
    if (list.ids[i] <= list.ids[i - 1]) throw new Error('eligible list must be in ascending id order without repeats');
  }
  const text = serializeEligible(list);
  return createHash('sha256').update(text.length ? `${text}\n` : '').digest('hex');
}

/** The list in the same line format, for storing with the draw record (compressed). */
export function serializeEligible(list: EligibleList): string {
  const lines: string[] = new Array(list.ids.length);
  for (let i = 0; i < list.ids.length; i++) lines[i] = `${list.ids[i]},${CATEGORIES[list.categories[i]]},${list.matches[i]},${list.served[i]}`;
  return lines.join('\n');
}

export function parseEligible(text: string): EligibleList {
  const lines = text ? text.split('\n') : [];
  const list = emptyEligibleList(lines.length);
  lines.forEach((line, i) => {
    const [id, category, match, served] = line.split(',');
    list.ids[i] = Number(id);
    list.categories[i] = categoryIndex(category as Category);
    list.matches[i] = Number(match);
    list.served[i] = Number(served);
  });
  return list;
}

/**
 * The list as stored with a draw: n int32 ids, n uint32 served counts, n category bytes,
 * n match bytes, little-endian. Compact and loaded without parsing; the text form above is
 * derived from it for digests and evidence.
 */
export function packEligible(list: EligibleList): Buffer {
  const n = list.ids.length;
  const buffer = Buffer.alloc(n * 10);
  Buffer.from(list.ids.buffer, list.ids.byteOffset, n * 4).copy(buffer, 0);
  Buffer.from(list.served.buffer, list.served.byteOffset, n * 4).copy(buffer, n * 4);
  Buffer.from(list.categories.buffer, list.categories.byteOffset, n).copy(buffer, n * 8);
  Buffer.from(list.matches.buffer, list.matches.byteOffset, n).copy(buffer, n * 9);
  return buffer;
}

export function unpackEligible(buffer: Buffer): EligibleList {
  const n = buffer.length / 10;
  if (!Number.isInteger(n)) throw new Error('stored eligible list is damaged');
  const list = emptyEligibleList(n);
  const copy = Buffer.from(buffer);
  list.ids.set(new Int32Array(copy.buffer, copy.byteOffset, n));
  list.served.set(new Uint32Array(copy.buffer.slice(copy.byteOffset + n * 4, copy.byteOffset + n * 8)));
  list.categories.set(copy.subarray(n * 8, n * 9));
  list.matches.set(copy.subarray(n * 9, n * 10));
  return list;
}
