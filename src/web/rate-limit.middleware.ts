import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { DomainError } from '../common/domain-error';
import { AppConfig } from '../config/app-config';
import { rawRows, rawRun } from '../database/raw-rows';
import { UnitOfWork } from '../database/unit-of-work';

const WINDOW_MS = 60_000;

/** One hit on a key's window: a new window once the old one is a minute old. Returns hits and start. */
const HIT_SQL = `INSERT INTO rate_window (key, start, hits) VALUES (?, ?, 1)
  ON CONFLICT (key) DO UPDATE SET
    hits = CASE WHEN rate_window.start <= ? THEN 1 ELSE rate_window.hits + 1 END,
    start = CASE WHEN rate_window.start <= ? THEN excluded.start ELSE rate_window.start END
  RETURNING hits, start`;

/**
 * Fixed one-minute windows per client address and kind of route: log-in (on top of the
 * per-name lock-out, against spraying many names) and the public doors — the application form
 * and the verification pages. Counted in the database, so instances sharing it count together;
 * each instance also counts in memory and refuses a flood it has seen by itself without a write.
 */
@Injectable()
export class RateLimitMiddleware implements NestMiddleware {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private seen = 0;

  constructor(
    private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
  ) {}

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
    if (!window || now - window.start >= WINDOW_MS) {
      if (this.windows.size > 50_000) this.windows.clear();
      this.windows.set(key, (window = { start: now, count: 0 }));
    }
    window.count++;
    const refuse = (start: number) => {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil((start + WINDOW_MS - now) / 1000))));
      next(new DomainError('too_many_requests', '操作过于频繁，请稍候一分钟再试。'));
    };
    if (window.count > limit) return refuse(window.start);
    this.hit(key, now).then(
      ([hits, start]) => (hits > limit ? refuse(start) : next()),
      // The database being unreachable is not the client's fault: the local count stands.
      () => next(),
    );
  }

  /** Counts the hit in the database (its own row: beside other writers); one hit in 500 also clears windows long over. */
  private async hit(key: string, now: number): Promise<[number, number]> {
    if (++this.seen % 500 === 0) {
      // Other clients' rows: an ordinary unit, never beside the shared ones.
      void this.uow.run((m) => rawRun(m, `DELETE FROM rate_window WHERE start < ?`, [now - 2 * WINDOW_MS])).catch(() => undefined);
    }
    const [row] = await this.uow.run((m) => rawRows<[number, number]>(m, HIT_SQL, [key, now, now - WINDOW_MS, now - WINDOW_MS]), { shared: true });
    return row;
  }
}
