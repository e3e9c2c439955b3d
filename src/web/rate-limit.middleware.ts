import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';

/**
 * Fixed one-minute windows per client address and kind of route: log-in (on top of the
 * per-name lock-out, against spraying many names) and the public doors — the application form
 * and the verification pages. Kept in memory: each instance counts its own share.
 */
@Injectable()
export class RateLimitMiddleware implements NestMiddleware {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly config: AppConfig) {}

  use(req: Request, res: Response, next: NextFunction): void {
    // Mounted on every path, so req.path is relative to the mount point: read the full URL.
    const pathname = req.originalUrl.split('?')[0];
    const login = req.method === 'POST' && /^\/(api\/auth\/)?login$/.test(pathname);
    const open = (req.method === 'POST' && /^\/(apply|api\/applications)$/.test(pathname)) || (req.method === 'GET' && /^\/(api\/)?verify(\/|$)/.test(pathname));
    if (!login && !open) return next();
    const limit = login ? this.config.RATE_LIMIT_LOGIN : this.config.RATE_LIMIT_PUBLIC;
    const key = `${login ? 'login' : 'public'}:${req.ip}`;
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || now - window.start >= 60_000) {
      if (this.windows.size > 50_000) this.windows.clear();
      this.windows.set(key, (window = { start: now, count: 0 }));
    }
    window.count++;
    if (window.count > limit) {
      res.setHeader('Retry-After', String(Math.ceil((window.start + 60_000 - now) / 1000)));
      return next(new DomainError('too_many_requests', '操作过于频繁，请稍候一分钟再试。'));
    }
    next();
  }
}
