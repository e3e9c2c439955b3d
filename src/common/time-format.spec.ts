import { displayInZone, isoInZone } from './time-format';

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
