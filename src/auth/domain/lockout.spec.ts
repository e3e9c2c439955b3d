import { afterFailure, isLocked, LOCK_MS, minutesLeft } from './lockout';

describe('lock-out', () => {
  const t0 = Date.UTC(2026, 10, 21, 1, 0, 0);

  it('does not lock after four failures', () => {
    let state = null;
    for (let i = 0; i < 4; i++) state = afterFailure(state, t0 + i);
    expect(state).toEqual({ failures: 4, lockedUntil: null });
    expect(isLocked(state, t0 + 10)).toBe(false);
  });

  it('locks for 30 minutes on the fifth failure', () => {
    let state = null;
    for (let i = 0; i < 5; i++) state = afterFailure(state, t0);
    expect(isLocked(state, t0 + LOCK_MS - 1)).toBe(true);
    expect(isLocked(state, t0 + LOCK_MS)).toBe(false);
    expect(minutesLeft(state!, t0)).toBe(30);
  });

  it('starts counting again once the lock has run out', () => {
    let state = null;
    for (let i = 0; i < 5; i++) state = afterFailure(state, t0);
    expect(afterFailure(state, t0 + LOCK_MS + 1)).toEqual({ failures: 1, lockedUntil: null });
  });
});
