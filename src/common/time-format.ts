import { DomainError } from './domain-error';

/** Formats an instant as ISO 8601 with the offset of the given IANA zone: 2026-11-21T09:30:00+08:00. */
export function isoInZone(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  const local = Date.UTC(+get('year'), +get('month') - 1, +get('day'), +get('hour'), +get('minute'), +get('second'));
  const offsetMin = Math.round((local - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}${offset}`;
}

/** 2026-11-21 09:30 in the given zone, for pages. */
export function displayInZone(instant: Date, timeZone: string): string {
  return isoInZone(instant, timeZone).slice(0, 16).replace('T', ' ');
}

/** The calendar date of an instant in a zone. */
export function localDate(ms: number, timeZone: string): { year: number; month: number; day: number } {
  const [year, month, day] = isoInZone(new Date(ms), timeZone).slice(0, 10).split('-').map(Number);
  return { year, month, day };
}

/** The calendar month (YYYY-MM) of an instant in a zone. */
export function monthInZone(instant: Date, timeZone: string): string {
  return isoInZone(instant, timeZone).slice(0, 7);
}

/**
 * Local midnight of a calendar date in a zone, as epoch ms. Months and days out of range roll
 * over as with Date.UTC (day 0 is the last of the month before, month 13 is January next year).
 */
export function localMidnight(year: number, month: number, day: number, timeZone: string): number {
  const utc = Date.UTC(year, month - 1, day);
  const offsetAt = (ms: number) => Date.parse(`${isoInZone(new Date(ms), timeZone).slice(0, 19)}Z`) - Math.floor(ms / 1000) * 1000;
  // The offset at UTC midnight first, then at the instant it points to (right across a DST change).
  return utc - offsetAt(utc - offsetAt(utc));
}

/** [start, end) of a calendar month in the office's zone, as epoch milliseconds. */
export function monthBounds(year: number, month: number, timeZone: string): [number, number] {
  return [localMidnight(year, month, 1, timeZone), localMidnight(year, month + 1, 1, timeZone)];
}

/** A YYYY-MM month as [year, month], or a validation error naming the field `month`. */
export function parseMonth(month: string): [number, number] {
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw new DomainError('validation', '月份格式如 2026-11', { month: '月份格式如 2026-11' });
  return [Number(match[1]), Number(match[2])];
}
