import { monthsBefore, retentionCutoff } from './retention';

describe('audit retention in calendar months', () => {
  it('steps back whole months, clamping the day to the shorter month', () => {
    expect(monthsBefore({ year: 2026, month: 8, day: 31 }, 6)).toEqual({ year: 2026, month: 2, day: 28 });
    expect(monthsBefore({ year: 2028, month: 8, day: 31 }, 6)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(monthsBefore({ year: 2026, month: 3, day: 31 }, 6)).toEqual({ year: 2025, month: 9, day: 30 });
    expect(monthsBefore({ year: 2026, month: 11, day: 21 }, 6)).toEqual({ year: 2026, month: 5, day: 21 });
  });

  it('cuts at local midnight six calendar months back, not 180 days back', () => {
    const now = Date.UTC(2026, 7, 31, 4, 0); // 31 August 2026, 12:00 in Shanghai
    const cutoff = retentionCutoff(now, 'Asia/Shanghai');
    expect(new Date(cutoff).toISOString()).toBe('2026-02-27T16:00:00.000Z'); // 28 February 00:00 in Shanghai
    expect(new Date(now - 180 * 86_400_000).toISOString().slice(0, 10)).toBe('2026-03-04'); // what 180 days would say
    expect(new Date(retentionCutoff(Date.UTC(2026, 10, 21, 1), 'UTC')).toISOString()).toBe('2026-05-21T00:00:00.000Z');
  });
});
