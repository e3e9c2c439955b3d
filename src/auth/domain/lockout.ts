/** Failed log-ins per user name; kept for unknown names too, so both get the same answers. */
export interface LockoutState {
  failures: number;
  lockedUntil: number | null;
}

export const MAX_FAILURES = 5;
export const LOCK_MS = 30 * 60 * 1000;

export function isLocked(state: LockoutState | null, nowMs: number): boolean {
  return !!state && state.lockedUntil !== null && state.lockedUntil > nowMs;
}

/**
 * Records one failed attempt. The fifth failure in a row locks the name for 30 minutes;
 * once a lock has run out the count starts again from zero.
 */
export function afterFailure(state: LockoutState | null, nowMs: number): LockoutState {
  const expired = state?.lockedUntil !== null && state?.lockedUntil !== undefined && state.lockedUntil <= nowMs;
  const failures = (state && !expired ? state.failures : 0) + 1;
  return { failures, lockedUntil: failures >= MAX_FAILURES ? nowMs + LOCK_MS : null };
}

/** Minutes left on a lock, rounded up, for the message shown to the user. */
export function minutesLeft(state: LockoutState, nowMs: number): number {
  return Math.max(1, Math.ceil(((state.lockedUntil ?? nowMs) - nowMs) / 60000));
}
