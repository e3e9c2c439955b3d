import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { TianpingRequest } from '../web/request';
import { SessionsService } from './sessions.service';
import { newToken } from './tokens';

export const SESSION_COOKIE = 'tp_sid';
export const ANON_CSRF_COOKIE = 'tp_csrf';

/** Resolves the session cookie to a user for every request, and hands forms their CSRF token. */
@Injectable()
export class SessionMiddleware implements NestMiddleware {
  constructor(
    private readonly sessions: SessionsService,
    private readonly config: AppConfig,
  ) {}

  async use(req: TianpingRequest, res: Response, next: NextFunction): Promise<void> {
    try {
      req.requestId = randomUUID();
      res.setHeader('X-Request-Id', req.requestId);
      req.auth = null;
      const token = req.cookies?.[SESSION_COOKIE];
      if (typeof token === 'string' && token.length > 0 && token.length < 100) {
        const resolved = await this.sessions.resolve(token);
        if (resolved && 'session' in resolved) req.auth = resolved;
        else {
          if (resolved) req.sessionEnded = resolved.ended;
          res.clearCookie(SESSION_COOKIE, this.cookieOptions());
        }
      }
      if (req.auth) {
        req.csrfToken = req.auth.session.csrfToken;
        // Signed-in pages carry names, ID numbers and case files: no cache may keep them.
        res.setHeader('Cache-Control', 'private, no-store');
      } else {
        let anon = req.cookies?.[ANON_CSRF_COOKIE];
        if (typeof anon !== 'string' || anon.length !== 43) {
          anon = newToken();
          res.cookie(ANON_CSRF_COOKIE, anon, { ...this.cookieOptions(), sameSite: 'strict' });
        }
        req.csrfToken = anon;
      }
      next();
    } catch (error) {
      next(error);
    }
  }

  cookieOptions() {
    return { httpOnly: true, sameSite: 'lax' as const, secure: this.config.COOKIE_SECURE, path: '/' };
  }
}
