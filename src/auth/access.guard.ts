import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { zhCN } from '../common/i18n/zh-CN';
import { TianpingRequest, wantsJson } from '../web/request';
import { ACCESS_KEY, ALLOW_DURING_PASSWORD_CHANGE } from './access.decorator';
import { passwordExpired } from './domain/password-policy';
import { Permission, roleMay } from './domain/roles';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The global guard: CSRF on every state-changing request, then the route's access rule.
 * Routes without an @Access rule are refused, so a forgotten decorator fails closed.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly clock: Clock,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<TianpingRequest>();
    const targets = [context.getHandler(), context.getClass()];
    const access = this.reflector.getAllAndOverride<Permission | 'public' | undefined>(ACCESS_KEY, targets);

    // Not signed in (or no longer: the session timed out, or the page's autosave found it ended
    // and the cookie went with it): ask for a sign-in, before the CSRF check, which would only say
    // "page expired". Nothing is changed either way, so this gives nothing away. A session that
    // ended, a token, or a page's form (an upload's body is not read yet here) came from a
    // signed-in page: then the user is told the session timed out.
    if (access !== 'public' && !req.auth && (access || req.sessionEnded)) {
      const fromSignedInPage = req.sessionEnded || !!req.get('x-csrf-token') || typeof (req.body as { _csrf?: unknown } | undefined)?._csrf === 'string'
        || (!SAFE_METHODS.has(req.method) && !req.path.startsWith('/api/'));
      throw new DomainError('unauthenticated', fromSignedInPage ? zhCN.errors.sessionExpired : zhCN.errors.unauthenticated);
    }
    if (!SAFE_METHODS.has(req.method)) this.checkCsrf(req);
    if (access === 'public') return true;
    if (!access) throw new DomainError('forbidden', zhCN.errors.forbidden);

    const user = req.auth!.user;
    const expired = passwordExpired(user.passwordChangedAt, this.clock.now().getTime());
    if ((user.mustChangePassword || expired) && !this.reflector.getAllAndOverride<boolean>(ALLOW_DURING_PASSWORD_CHANGE, targets)) {
      throw new DomainError('password_change_required', user.mustChangePassword ? zhCN.auth.mustChangePassword : zhCN.auth.passwordExpired);
    }
    if (!roleMay(user.role, access)) throw new DomainError('forbidden', zhCN.errors.forbidden);
    return true;
  }

  /**
   * Forms echo the token in `_csrf`, API clients in `X-CSRF-Token`. Signed-in requests are
   * checked against the session's token; anonymous forms (log-in, application) against the
   * double-submit cookie. An anonymous JSON request carries no cookie-borne authority and
   * needs a JSON content type, which a cross-site form cannot send.
   */
  private checkCsrf(req: TianpingRequest): void {
    const body = req.body as Record<string, unknown> | undefined;
    const sent = (req.get('x-csrf-token') ?? (typeof body?._csrf === 'string' ? body._csrf : '')) || '';
    if (body && typeof body === 'object' && '_csrf' in body) delete body._csrf;
    if (!req.auth && wantsJson(req) && req.is('application/json')) return;
    const expected = req.csrfToken;
    // In constant time. Only the length may differ without a comparison, and every token has
    // the same, public length (no digests: two SHA-256 per request were 2% of the service's CPU).
    const [a, b] = [Buffer.from(sent), Buffer.from(expected ?? '')];
    const ok = !!expected && a.length === b.length && timingSafeEqual(a, b);
    if (!ok) throw new DomainError('csrf', zhCN.errors.csrf);
  }
}
