import helmet from 'helmet';
import { securityHeaders } from './security-headers';

const OPTIONS = { contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'self'"], imgSrc: ["'self'", 'data:'], frameAncestors: ["'none'"] } }, strictTransportSecurity: true };

function record(handler: (req: never, res: never, next: () => void) => void): Record<string, string> {
  const headers: Record<string, string> = { 'X-Powered-By': 'Express' };
  handler({ headers: {} } as never, { setHeader: (n: string, v: unknown) => (headers[n] = String(v)), removeHeader: (n: string) => delete headers[n] } as never, () => undefined);
  return headers;
}

describe('security headers worked out once', () => {
  it('sets exactly what helmet sets, CSP and HSTS included', () => {
    const once = record(securityHeaders(OPTIONS) as never);
    const live = record(helmet(OPTIONS) as never);
    delete once['X-Powered-By'];
    expect(once).toEqual(live);
    expect(once['Content-Security-Policy']).toBe("default-src 'self';img-src 'self' data:;frame-ancestors 'none'");
    expect(Object.keys(once)).toEqual(expect.arrayContaining(['Strict-Transport-Security', 'X-Content-Type-Options', 'X-Frame-Options', 'Referrer-Policy']));
  });

  it('refuses a configuration whose headers depend on the request', () => {
    const nonce = (_req: unknown, res: unknown) => `'nonce-${(res as { nonce?: string }).nonce}'`;
    expect(() => securityHeaders({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'", nonce] } } })).toThrow('depends on the request');
  });
});
