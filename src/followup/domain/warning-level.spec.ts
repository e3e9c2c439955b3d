import { daysLeft, dueText, endOfLocalDate, warningLevel } from './warning-level';

const SH = 'Asia/Shanghai';
/** 2026-11-21 10:00 in Shanghai. */
const NOW = Date.UTC(2026, 10, 21, 2, 0);
const due = (date: string) => endOfLocalDate(date, SH);
const level = (date: string | null, now = NOW, status = 'open') => warningLevel({ status, dueAt: date === null ? null : due(date) }, now, SH);

describe('warning levels', () => {
  it('is red when overdue or due within 3 days, 3 included', () => {
    expect(level('2026-11-20')).toBe('red');
    expect(level('2026-11-21')).toBe('red');
    expect(level('2026-11-24')).toBe('red');
  });

  it('is yellow from more than 3 up to 10 days, 10 included, and blue beyond', () => {
    expect(level('2026-11-25')).toBe('yellow');
    expect(level('2026-12-01')).toBe('yellow');
    expect(level('2026-12-02')).toBe('blue');
    expect(level(null)).toBe('blue');
  });

  it('carries no warning once done or cancelled, however late', () => {
    expect(level('2026-11-01', NOW, 'done')).toBe('none');
    expect(level('2026-11-01', NOW, 'cancelled')).toBe('none');
  });

  it('counts calendar days in the office zone: the last minute of the due day is not yet overdue', () => {
    const lastMinute = Date.UTC(2026, 10, 21, 15, 59); // 23:59 on the 21st in Shanghai
    const nextMorning = Date.UTC(2026, 10, 21, 16, 1); // 00:01 on the 22nd in Shanghai
    expect(daysLeft(due('2026-11-21'), lastMinute, SH)).toBe(0);
    expect(daysLeft(due('2026-11-21'), nextMorning, SH)).toBe(-1);
    expect(dueText(due('2026-11-21'), lastMinute, SH)).toBe('今天到期');
    expect(dueText(due('2026-11-21'), nextMorning, SH)).toBe('逾期1天');
    // At 00:01 on the 22nd the 25th is 3 days away in Shanghai (red), but still 4 days in UTC (yellow).
    expect(warningLevel({ status: 'open', dueAt: due('2026-11-25') }, nextMorning, SH)).toBe('red');
    expect(warningLevel({ status: 'open', dueAt: endOfLocalDate('2026-11-25', 'UTC') }, nextMorning, 'UTC')).toBe('yellow');
  });

  it('puts a date deadline at the last millisecond of that day in the zone', () => {
    expect(new Date(endOfLocalDate('2026-11-30', SH)).toISOString()).toBe('2026-11-30T15:59:59.999Z');
    expect(new Date(endOfLocalDate('2026-12-31', 'UTC')).toISOString()).toBe('2026-12-31T23:59:59.999Z');
    expect(dueText(due('2026-11-26'), NOW, SH)).toBe('还剩5天');
    expect(dueText(null, NOW, SH)).toBe('无期限');
  });
});
