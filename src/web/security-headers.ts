import type { RequestHandler } from 'express';
import helmet, { HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Helmet's response headers, worked out once. With a fixed configuration (no function
 * directive such as a per-request nonce) helmet sets the same headers on every response, but
 * it gets there through a dozen middleware functions and a CSP serialisation each time: 3% of
 * the autosave's CPU. So helmet runs once, against a response that records what it sets, and
 * every request gets that list. The spec beside this file checks it against helmet itself.
 */
export function securityHeaders(options: Readonly<HelmetOptions>): RequestHandler {
  const csp = options.contentSecurityPolicy;
  const directives = typeof csp === 'object' ? Object.values(csp.directives ?? {}) : [];
  if (directives.some((value) => Array.isArray(value) && value.some((v) => typeof v === 'function'))) {
    throw new Error('a function directive depends on the request: its headers cannot be worked out once');
  }
  const headers = headersOf(helmet(options));
  return (_req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}

/** What a helmet middleware sets on a response, in order (it also removes X-Powered-By, which the app never sends). */
function headersOf(middleware: ReturnType<typeof helmet>): [string, string][] {
  const set = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => set.set(name, String(value)),
    removeHeader: (name: string) => set.delete(name),
  };
  let finished = false;
  middleware({ headers: {} } as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    finished = true;
  });
  if (!finished) throw new Error('helmet did not finish at once: its headers depend on the request');
  return [...set];
}
