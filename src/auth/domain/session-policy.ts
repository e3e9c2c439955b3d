export interface SessionTimes {
  createdAt: number;
  lastSeenAt: number;
}

export interface SessionLimits {
  idleMs: number;
  absoluteMs: number;
}

export type SessionVerdict = 'valid' | 'idle_timeout' | 'absolute_timeout';

/** A session ends after `idleMs` without a request, or `absoluteMs` after log-in, whichever comes first. */
export function sessionVerdict(session: SessionTimes, nowMs: number, limits: SessionLimits): SessionVerdict {
  if (nowMs - session.createdAt >= limits.absoluteMs) return 'absolute_timeout';
  if (nowMs - session.lastSeenAt >= limits.idleMs) return 'idle_timeout';
  return 'valid';
}

/** Writing lastSeenAt on every request would turn reads into writes; a minute's precision is enough. */
export const TOUCH_EVERY_MS = 60 * 1000;
