import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger, NotFoundException } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, DomainErrorCode, httpStatusOf } from '../common/domain-error';
import { fill, zhCN } from '../common/i18n/zh-CN';
import { isConstraintViolation } from '../database/dialect';
import { TianpingRequest, wantsJson } from './request';
import { FormAlreadyRendered } from './form-view.interceptor';
import { layoutLocals } from './layout-locals';

/**
 * The one place errors become responses: JSON for /api, an HTML page for browsers.
 * Domain errors keep their message; framework errors get a Chinese one; anything
 * unexpected is logged with the request id and answered with a generic 500.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Error');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<TianpingRequest>();
    const res = ctx.getResponse<Response>();
    if (exception instanceof FormAlreadyRendered) return;
    if (res.headersSent) { this.logger.error(`[${req.requestId}] after response: ${String(exception)}`);
      return;
    }
    const error = this.toDomainError(exception);
    const status = error ? httpStatusOf(error.code) : 500;

    if (!error) {
      this.logger.error(`[${req.requestId}] ${req.method} ${req.path}: ${(exception as Error)?.stack ?? String(exception)}`);
    }
    const message = error?.message ?? fill(zhCN.errors.internal, { requestId: req.requestId ?? '-' });
    const code: DomainErrorCode | 'internal' = error?.code ?? 'internal';

    if (wantsJson(req)) {
      res.status(status).json({ error: code, message, fields: error?.fields ?? {}, requestId: req.requestId });
      return;
    }
    if (code === 'password_change_required') {
      res.redirect(303, '/account/password');
      return;
    }
    // A form's address opened directly (reloading the page a refused submission left in the
    // address bar): back to the page the form is on, instead of "page not found".
    if (status === 404 && exception instanceof NotFoundException && req.method === 'GET') {
      const page = formPageOf(req);
      if (page) {
        res.redirect(303, page);
        return;
      }
    }
    if (code === 'unauthenticated') {
      // Back to the page after signing in: the one asked for, or for a posted form the page it
      // was on (same site only); and say why, since the session's cookie is gone by then.
      // (Pages send no Referer — Referrer-Policy: no-referrer — so a form's page is found from its action.)
      const back = req.method === 'GET' ? req.originalUrl : (sameSitePath(req.get('referer'), req.get('host')) ?? formPageOf(req));
      const query = new URLSearchParams();
      if (req.method !== 'GET' && message === zhCN.errors.sessionExpired) query.set('notice', 'expired');
      if (back) query.set('next', back);
      res.redirect(303, `/login${query.size ? `?${query}` : ''}`);
      return;
    }
    res.status(status).render('errors/error.hbs', { ...layoutLocals(req), title: '出错了', status, message, fields: error?.fields });
  }

  private toDomainError(exception: unknown): DomainError | null {
    if (exception instanceof DomainError) return exception;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      // Body-parser failures surface as HttpExceptions with these statuses.
      if (status === 404) return new DomainError('not_found', zhCN.errors.notFound);
      if (status === 413) return new DomainError('payload_too_large', zhCN.errors.payloadTooLarge);
      if (status === 403) return new DomainError('forbidden', zhCN.errors.forbidden);
      if (status === 401) return new DomainError('unauthenticated', zhCN.errors.unauthenticated);
      if (status === 415) return new DomainError('unsupported_media', '不支持的请求格式');
      // Nest turns body-parser's SyntaxError into a 400.
      if (status === 400 && /JSON/i.test(exception.message)) return new DomainError('bad_request', zhCN.errors.badJson);
      if (status === 429) return new DomainError('validation', zhCN.errors.tooManyRequests);
      if (status >= 400 && status < 500) return new DomainError('validation', zhCN.errors.validation);
      return null;
    }
    const raw = exception as { type?: string; status?: number; code?: string; driverError?: { code?: string } } | null;
    // The database's own constraints back up the services' checks; a race that reaches them is a conflict.
    if (isConstraintViolation(raw)) return new DomainError('conflict', '该记录与已有记录冲突，请刷新后重试。');
    if (raw?.type === 'entity.parse.failed') return new DomainError('bad_request', zhCN.errors.badJson);
    if (raw?.type === 'entity.too.large' || raw?.code === 'LIMIT_FILE_SIZE') return new DomainError('payload_too_large', zhCN.errors.payloadTooLarge);
    if (raw?.status && raw.status >= 400 && raw.status < 500) return new DomainError('validation', zhCN.errors.validation);
    return null;
  }
}

/** The path of a referring page on this site, or null. */
function sameSitePath(referer: string | undefined, host: string | undefined): string | null {
  if (!referer || !host) return null;
  try {
    const url = new URL(referer);
    return url.host === host ? url.pathname + url.search : null;
  } catch {
    return null;
  }
}

interface RouteLayer {
  route?: { methods?: Record<string, boolean> };
  match(path: string): unknown;
}

/**
 * For a GET of an address that only takes posts (a form's action), the nearest page above it:
 * /department/tasks/2/progress → /department/tasks/2, /inbox/invitations/8 → /inbox. Null for
 * any other unknown address, which stays a 404.
 */
function formPageOf(req: TianpingRequest): string | null {
  try {
    const stack = ((req.app as unknown as { router?: { stack: RouteLayer[] } }).router?.stack ?? []).filter((layer) => layer.route);
    const takes = (method: string, path: string) => stack.some((layer) => layer.route!.methods?.[method] && layer.match(path));
    if (!takes('post', req.path)) return null;
    // A form posted to its own page's address (POST /reports from GET /reports) returns there.
    if (req.method !== 'GET' && takes('get', req.path)) return req.path;
    const parts = req.path.split('/').filter(Boolean);
    for (let n = parts.length - 1; n > 0; n--) {
      const page = `/${parts.slice(0, n).join('/')}`;
      if (takes('get', page)) return page;
    }
    return '/';
  } catch {
    return null;
  }
}
