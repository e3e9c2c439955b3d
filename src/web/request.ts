import type { Request } from 'express';
import type { Session } from '../auth/session.entity';
import type { UserAccount } from '../auth/user-account.entity';

/** What the session middleware attaches to every request. */
export interface TianpingRequest extends Request {
  requestId: string;
  auth: { user: UserAccount; session: Session } | null;
  /** The token forms must echo back: the session's, or the anonymous cookie's. */
  csrfToken: string;
  /** Why the previous session ended, to tell the user on the log-in page. */
  sessionEnded?: 'idle_timeout' | 'absolute_timeout';
}

/** API requests get JSON, everything else HTML. */
export function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || req.path === '/health';
}
