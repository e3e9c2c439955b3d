import { localDate } from '../../common/time-format';
import { compactCode } from '../../common/form-transforms';

/** The documents a resolution produces (issue 5), with the mark each kind carries in its number. */
export type DocumentKind = 'decision' | 'assignment' | 'notice' | 'facts';

export const DOCUMENT_KINDS: Record<DocumentKind, { label: string; mark: string }> = {
  decision: { label: '评价决议书', mark: '评' },
  assignment: { label: '交办函', mark: '交' },
  notice: { label: '评价结果告知书', mark: '告' },
  facts: { label: '事实确认书', mark: '确' },
};


/**
 * 发文字号 after GB/T 9704: issuer's prefix and the kind's mark, the year in hexagonal brackets
 * 〔〕, the serial without leading zeros and 号 — 商信联评〔2026〕12号.
 */
export function documentNumber(prefix: string, kind: DocumentKind, year: number, serial: number): string {
  if (!Number.isInteger(serial) || serial < 1) throw new RangeError('serial must be a positive integer');
  return `${prefix}${DOCUMENT_KINDS[kind].mark}〔${year}〕${serial}号`;
}

/** 16 decimal digits from random bytes: typed from paper without letters that look alike. */
export function verificationCode(bytes: Uint8Array): string {
  if (bytes.length < 8) throw new RangeError('need at least 8 random bytes');
  let value = 0n;
  for (const b of bytes.subarray(0, 8)) value = (value << 8n) | BigInt(b);
  return (value % 10n ** 16n).toString().padStart(16, '0');
}

/** Accepts a code as people type it (spaces, dashes) and returns its 16 digits, or null. */
export function normalizeVerificationCode(input: string): string | null {
  const digits = compactCode(input);
  return /^\d{16}$/.test(digits) ? digits : null;
}

/** 3829 1047 5521 0093: four groups, as printed under the QR code. */
export function groupedCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** 成文日期 in Arabic numerals (GB/T 9704-2012 7.3.5.1): 2026年11月21日, in the office's time zone. */
export function documentDate(ms: number, timeZone: string): string {
  const { year, month, day } = localDate(ms, timeZone);
  return `${year}年${month}月${day}日`;
}

/** The year a document number counts in, in the office's time zone. */
export function documentYear(ms: number, timeZone: string): number {
  return localDate(ms, timeZone).year;
}

/**
 * How a choice question of a step came out across the submitted sheets: every option with its
 * count, in the criteria's order, and the leading option (null on a tie for first place).
 */
export function optionCounts(values: (string | undefined)[], options: { value: string; label: string }[]): { counts: { label: string; count: number }[]; leading: string | null } {
  const counts = options.map((o) => ({ value: o.value, label: o.label, count: values.filter((v) => v === o.value).length }));
  const top = Math.max(0, ...counts.map((c) => c.count));
  const leaders = counts.filter((c) => c.count === top && top > 0);
  return { counts: counts.map(({ label, count }) => ({ label, count })), leading: leaders.length === 1 ? leaders[0].label : null };
}
