import { calendarOf, firstWorkingDay, isWorkingDay, previousMonth } from './working-days';

describe('working days', () => {
  // National Day 2026: 1–7 October off, Saturday 10 October worked in exchange (an example calendar).
  const calendar = calendarOf('2026-10-01,2026-10-02,2026-10-05,2026-10-06,2026-10-07', '2026-10-10');

  it('skips weekends and holidays and counts make-up Saturdays', () => {
    expect(isWorkingDay('2026-11-21', calendar)).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-23', calendar)).toBe(true); // Monday
    expect(isWorkingDay('2026-10-05', calendar)).toBe(false); // Monday, holiday
    expect(isWorkingDay('2026-10-10', calendar)).toBe(true); // Saturday, worked
  });

  it('finds the first working day of a month', () => {
    expect(firstWorkingDay(2026, 10, calendar)).toBe('2026-10-08');
    expect(firstWorkingDay(2026, 11, calendar)).toBe('2026-11-02'); // the 1st is a Sunday
    expect(firstWorkingDay(2026, 12, calendarOf('', ''))).toBe('2026-12-01');
  });

  it('steps back a month across the year', () => {
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(previousMonth('2026-11')).toBe('2026-10');
  });
});
