/**
 * Warning levels of a follow-up task (红黄蓝预警), after Shangqiu's monitoring platform:
 *  - red: overdue, or due within 3 days (today, tomorrow, … the third day from today);
 *  - yellow: due in more than 3 and at most 10 days;
 *  - blue: due later, or without a deadline;
 *  - none: done or cancelled tasks carry no warning.
 * Days are calendar days in the office's time zone: a task due "on the 30th" is due until the
 * last minute of the 30th there, whatever the server's clock zone.
 */
import { localDate, localMidnight } from '../../common/time-format';

export type WarningLevel = 'red' | 'yellow' | 'blue' | 'none';

export const WARNING_LABELS: Record<WarningLevel, string> = { red: '红色预警', yellow: '黄色预警', blue: '蓝色（正常推进）', none: '已办结' };

export const RED_WITHIN_DAYS = 3;
export const YELLOW_WITHIN_DAYS = 10;

/** The calendar date of an instant in a time zone, as days since 1970-01-01. */
function localDay(ms: number, timeZone: string): number {
  const { year, month, day } = localDate(ms, timeZone);
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

/** Calendar days from today to the due date: 0 due today, 1 tomorrow, negative overdue. */
export function daysLeft(dueAt: number, now: number, timeZone: string): number {
  return localDay(dueAt, timeZone) - localDay(now, timeZone);
}

export function warningLevel(task: { status: string; dueAt: number | null }, now: number, timeZone: string): WarningLevel {
  if (task.status === 'done' || task.status === 'cancelled') return 'none';
  if (task.dueAt === null) return 'blue';
  const days = daysLeft(task.dueAt, now, timeZone);
  if (days <= RED_WITHIN_DAYS) return 'red';
  if (days <= YELLOW_WITHIN_DAYS) return 'yellow';
  return 'blue';
}

/** "逾期2天", "今天到期", "还剩5天": how a list says it. */
export function dueText(dueAt: number | null, now: number, timeZone: string): string {
  if (dueAt === null) return '无期限';
  const days = daysLeft(dueAt, now, timeZone);
  if (days < 0) return `逾期${-days}天`;
  if (days === 0) return '今天到期';
  return `还剩${days}天`;
}

/** The last millisecond of a calendar date (YYYY-MM-DD) in a time zone: a deadline "on" that date. */
export function endOfLocalDate(date: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return localMidnight(y, m, d + 1, timeZone) - 1;
}
