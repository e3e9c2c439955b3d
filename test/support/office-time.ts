/**
 * Moments in the office's time zone (Asia/Shanghai, UTC+8, no daylight saving) for specs that
 * move the clock. Warnings, reminders and the digest count calendar days and hours there, while
 * a spec keeps running in real time: a clock moved to "the deadline minus three days" at the
 * time of day the spec started could cross midnight before its assertions run.
 */
const DAY = 86_400_000;
const HOUR = 3_600_000;
const UTC_OFFSET = 8 * HOUR;

/** Midnight starting the office's calendar day that holds an instant. */
function dayStart(instant: number): number {
  return Math.floor((instant + UTC_OFFSET) / DAY) * DAY - UTC_OFFSET;
}

/** Noon of the office's calendar day that holds an instant: the same day for the next twelve hours. */
export function officeNoonOf(instant: number): number {
  return dayStart(instant) + 12 * HOUR;
}

/** 09:00 of the office's next calendar day: after the 08:30 digest time, on a day no earlier tick covered. */
export function nextDayNineAm(instant: number): number {
  return dayStart(instant) + DAY + 9 * HOUR;
}
