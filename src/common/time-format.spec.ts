import { displayInZone, isoInZone, localMidnight, monthBounds } from './time-format';

describe('isoInZone', () => {
  it('renders Beijing time with its +08:00 offset', () => {
    expect(isoInZone(new Date('2026-11-21T01:30:05Z'), 'Asia/Shanghai')).toBe('2026-11-21T09:30:05+08:00');
  });
  it('crosses the date line into the next local day', () => {
    expect(isoInZone(new Date('2026-12-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2027-01-01T00:00:00+08:00');
  });
  it('renders UTC with +00:00', () => {
    expect(isoInZone(new Date('2026-06-01T12:00:00Z'), 'UTC')).toBe('2026-06-01T12:00:00+00:00');
  });
  it('shows minutes for pages', () => {
    expect(displayInZone(new Date('2026-11-21T01:30:05Z'), 'Asia/Shanghai')).toBe('2026-11-21 09:30');
  });
});

describe('monthBounds', () => {
  it('gives a month in the office time zone as [start, end) instants', () => {
    const [from, to] = monthBounds(2026, 11, 'Asia/Shanghai');
    expect(new Date(from).toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(new Date(to).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    const [dec, jan] = monthBounds(2026, 12, 'Asia/Shanghai');
    expect(new Date(dec).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(new Date(jan).toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(monthBounds(2026, 3, 'UTC').map((ms) => new Date(ms).toISOString())).toEqual(['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z']);
  });
});

describe('localMidnight', () => {
  it('finds local midnight, right on days a zone changes its clocks, and rolls over out-of-range days', () => {
    expect(new Date(localMidnight(2026, 11, 21, 'Asia/Shanghai')).toISOString()).toBe('2026-11-20T16:00:00.000Z');
    // New York: EDT (UTC-4) until 1 November 2026, EST (UTC-5) from then.
    expect(new Date(localMidnight(2026, 11, 1, 'America/New_York')).toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(new Date(localMidnight(2026, 11, 2, 'America/New_York')).toISOString()).toBe('2026-11-02T05:00:00.000Z');
    expect(localMidnight(2026, 2, 31, 'UTC')).toBe(Date.UTC(2026, 2, 3));
    expect(localMidnight(2026, 13, 1, 'UTC')).toBe(Date.UTC(2027, 0, 1));
  });
});
