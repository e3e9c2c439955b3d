import { localDate, localMidnight } from '../../common/time-format';

/**
 * How long audit entries stay in the live log: at least six calendar months (网络安全法 第二十一条),
 * counted as calendar months in the office's zone, not as 180 days — on 31 August the cut-off
 * is the start of 28 (or 29) February, not 3 March.
 */
export const RETENTION_MONTHS = 6;

/** The local calendar date `months` before a date, the day clamped to the shorter month. */
export function monthsBefore(date: { year: number; month: number; day: number }, months: number): { year: number; month: number; day: number } {
  const index = date.year * 12 + (date.month - 1) - months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { year, month, day: Math.min(date.day, lastDay) };
}

/**
 * The instant before which entries may leave the live log: the start (local midnight) of the
 * same calendar day RETENTION_MONTHS months ago, in the office's zone.
 */
export function retentionCutoff(now: number, timeZone: string, months = RETENTION_MONTHS): number {
  const then = monthsBefore(localDate(now, timeZone), months);
  return localMidnight(then.year, then.month, then.day, timeZone);
}
