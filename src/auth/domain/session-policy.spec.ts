import { sessionVerdict } from './session-policy';

describe('sessionVerdict', () => {
  const limits = { idleMs: 15 * 60_000, absoluteMs: 12 * 3600_000 };
  const t0 = 1_800_000_000_000;

  it('keeps a session used within the last 15 minutes', () => {
    expect(sessionVerdict({ createdAt: t0, lastSeenAt: t0 }, t0 + 15 * 60_000 - 1, limits)).toBe('valid');
  });
  it('ends a session idle for 15 minutes', () => {
    expect(sessionVerdict({ createdAt: t0, lastSeenAt: t0 }, t0 + 15 * 60_000, limits)).toBe('idle_timeout');
  });
  it('ends a busy session 12 hours after log-in', () => {
    const now = t0 + 12 * 3600_000;
    expect(sessionVerdict({ createdAt: t0, lastSeenAt: now - 1000 }, now, limits)).toBe('absolute_timeout');
  });
});
