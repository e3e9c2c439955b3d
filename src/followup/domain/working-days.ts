/**
 * Working days after the office's calendar: Monday to Friday, minus public holidays, plus the
 * weekend days worked in exchange (调休上班). Dates are YYYY-MM-DD strings in the office's zone.
 */
export interface WorkCalendar {
  holidays: ReadonlySet<string>;
  makeupWorkdays: ReadonlySet<string>;
}

export function isWorkingDay(date: string, calendar: WorkCalendar): boolean {
  if (calendar.makeupWorkdays.has(date)) return true;
  if (calendar.holidays.has(date)) return false;
  const [y, m, d] = date.split('-').map(Number);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The first working day of a month, e.g. the day the previous month's report is due. */
export function firstWorkingDay(year: number, month: number, calendar: WorkCalendar): string {
  for (let d = 1; d <= 31; d++) {
    const date = `${year}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
    if (isWorkingDay(date, calendar)) return date;
  }
  throw new RangeError(`no working day in ${year}-${month}`);
}

/** The month before a YYYY-MM month. */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export function calendarOf(holidays: string, makeupWorkdays: string): WorkCalendar {
  const list = (s: string) => new Set(s.split(/[\s,]+/).filter((x) => /^\d{4}-\d{2}-\d{2}$/.test(x)));
  return { holidays: list(holidays), makeupWorkdays: list(makeupWorkdays) };
}
