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

/** [start, end) of a calendar month in the office's time zone, as epoch milliseconds. */
export function monthBounds(year: number, month: number, timeZone: string): [number, number] {
  const offsetAt = (utc: number) => {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }).formatToParts(new Date(utc));
    const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
    return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute')) - utc;
  };
  const local = (y: number, m: number) => {
    const guess = Date.UTC(y, m - 1, 1);
    return guess - offsetAt(guess);
  };
  return [local(year, month), month === 12 ? local(year + 1, 1) : local(year, month + 1)];
}
