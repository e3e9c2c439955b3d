import { ConflictDeclaration } from '../../src/pool/conflict-declaration.entity';
import { Evaluator } from '../../src/pool/evaluator.entity';
import { UserAccount } from '../../src/auth/user-account.entity';
import { Agent, anonymousForm, createTestApp, loginAs, TestApp } from '../support/create-test-app';
import { listRoutes } from '../support/routes';

type Role = 'admin' | 'staff' | 'evaluator' | 'liaison' | 'auditor' | 'security';
const ROLES: Role[] = ['admin', 'staff', 'evaluator', 'liaison', 'auditor', 'security'];
const ALL: Role[] = ROLES;
const OFFICE: Role[] = ['admin', 'staff'];
const READERS: Role[] = ['admin', 'staff', 'auditor'];

/**
 * Who may call each route. A route the app answers but this table does not list fails the
 * suite, so every new route must state its access here.
 */
const MATRIX: Record<string, Role[] | 'public' | 'docs'> = {
  'GET /': 'public',
  'GET /login': 'public',
  'POST /login': 'public',
  'GET /apply': 'public',
  'POST /apply': 'public',
  'GET /apply/done': 'public',
  'GET /health': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/applications': 'public',
  'GET /home': ALL,
  'GET /account/password': ALL,
  'POST /account/password': ALL,
  'GET /api/auth/me': ALL,
  'POST /api/auth/password': ALL,
  'GET /pool': READERS,
  'GET /pool/evaluators/:id': READERS,
  'POST /pool/lookup': READERS,
  'POST /api/pool/evaluators/lookup': READERS,
  'POST /pool/evaluators/:id/status': OFFICE,
  'POST /pool/evaluators/:id/reveal': ['admin'],
  'POST /pool/evaluators/:id/account': OFFICE,
  'POST /api/pool/evaluators/:id/account': OFFICE,
  'GET /pool/export.xlsx': OFFICE,
  'GET /pool/applications': READERS,
  'GET /pool/applications/:id': READERS,
  'POST /pool/applications/:id/approve': OFFICE,
  'POST /pool/applications/:id/phone': OFFICE,
  'POST /pool/applications/:id/reject': OFFICE,
  'GET /pool/import': OFFICE,
  'POST /pool/import': OFFICE,
  'GET /pool/import/template.xlsx': OFFICE,
  'GET /pool/import/:id': OFFICE,
  'POST /pool/import/:id/confirm': OFFICE,
  'POST /pool/import/:id/discard': OFFICE,
  'GET /api/pool/evaluators': READERS,
  'GET /api/pool/evaluators/:id': READERS,
  'POST /api/pool/evaluators/:id/status': OFFICE,
  'POST /api/pool/evaluators/:id/reveal': ['admin'],
  'GET /api/pool/applications': READERS,
  'GET /api/pool/applications/:id': READERS,
  'POST /api/pool/applications/:id/approve': OFFICE,
  'POST /api/pool/applications/:id/reject': OFFICE,
  'POST /api/pool/import': OFFICE,
  'GET /api/pool/import/:id': OFFICE,
  'POST /api/pool/import/:id/confirm': OFFICE,
  'POST /api/pool/import/:id/discard': OFFICE,
  'GET /me': ['evaluator'],
  'POST /me/conflicts': ['evaluator'],
  'POST /me/conflicts/:id/withdraw': ['evaluator'],
  'GET /api/me': ['evaluator'],
  'POST /api/me/conflicts': ['evaluator'],
  'POST /api/me/conflicts/:id/withdraw': ['evaluator'],
  'GET /accounts': ['security'],
  'GET /accounts/new': ['security'],
  'POST /accounts': ['security'],
  'GET /accounts/:id': ['security'],
  'POST /accounts/:id/role': ['security'],
  'POST /accounts/:id/active': ['security'],
  'POST /accounts/:id/unlock': ['security'],
  'POST /accounts/:id/reset-two-factor': ['security'],
  'POST /accounts/:id/reset-password': ['security'],
  'GET /api/accounts': ['security'],
  'POST /api/accounts': ['security'],
  'GET /api/accounts/:id': ['security'],
  'POST /api/accounts/:id/role': ['security'],
  'POST /api/accounts/:id/active': ['security'],
  'POST /api/accounts/:id/unlock': ['security'],
  'POST /api/accounts/:id/reset-password': ['security'],
  'GET /cases': READERS,
  'GET /cases/new': OFFICE,
  'POST /cases': OFFICE,
  'GET /cases/:id': READERS,
  'POST /cases/:id/attachments': OFFICE,
  'GET /cases/:id/attachments/:attachmentId': READERS,
  'POST /cases/:id/exclusions': OFFICE,
  'GET /cases/:id/draws/new': OFFICE,
  'POST /cases/:id/draws': OFFICE,
  'POST /cases/:id/draws/supplementary': OFFICE,
  'GET /api/cases': READERS,
  'POST /api/cases': OFFICE,
  'GET /api/cases/:id': READERS,
  'POST /api/cases/:id/attachments': OFFICE,
  'POST /api/cases/:id/exclusions': OFFICE,
  'POST /api/cases/:id/draws': OFFICE,
  'POST /api/cases/:id/draws/supplementary': OFFICE,
  'GET /api/cases/:id/panel': READERS,
  'GET /draws/fairness': READERS,
  'GET /draws/:id': READERS,
  'POST /draws/:id/witness': OFFICE,
  'POST /draws/:id/cancel': OFFICE,
  'GET /draws/:id/verify': READERS,
  'GET /api/draws/fairness': READERS,
  'GET /api/draws/:id': READERS,
  'POST /api/draws/:id/witness': OFFICE,
  'POST /api/draws/:id/cancel': OFFICE,
  'GET /api/draws/:id/verify': READERS,
  'GET /outbox': OFFICE,
  'GET /verify': 'public',
  'GET /verify/algorithm.md': 'public',
  'GET /verify/:code/evidence.json': 'public',
  'GET /api/verify/:code': 'public',
  'GET /cases/:id/documents': READERS,
  'POST /meetings/:id/documents': OFFICE,
  'GET /meetings/:id/documents/preview/:kind': OFFICE,
  'GET /documents': READERS,
  'GET /documents/:id/pdf': [...READERS, 'liaison'],
  'POST /documents/batches': OFFICE,
  'GET /documents/batches/:job': OFFICE,
  'GET /documents/batches/:job/zip': OFFICE,
  'GET /department/documents': ['liaison'],
  'GET /verify/documents': 'public',
  'POST /api/meetings/:id/documents': OFFICE,
  'GET /api/cases/:id/documents': READERS,
  'POST /api/documents/batches': OFFICE,
  'GET /api/documents/batches/:job': OFFICE,
  'GET /api/verify/documents/:code': 'public',
  'GET /audit/chain': ['auditor'],
  'GET /account/two-factor': ['admin', 'auditor', 'security'],
  'POST /account/two-factor/setup': ['admin', 'auditor', 'security'],
  'POST /account/two-factor/enable': ['admin', 'auditor', 'security'],
  'POST /account/two-factor/disable': ['admin', 'auditor', 'security'],
  'POST /api/auth/two-factor/setup': ['admin', 'auditor', 'security'],
  'POST /api/auth/two-factor/enable': ['admin', 'auditor', 'security'],
  'POST /api/auth/two-factor/disable': ['admin', 'auditor', 'security'],
  'GET /api/audit/chain': ['auditor'],
  'GET /follow-up': READERS,
  'GET /follow-up/tasks/:id': READERS,
  'POST /follow-up/tasks/:id/:decision': OFFICE,
  'GET /follow-up/tasks/:id/attachments/:attachmentId': [...READERS, 'liaison'],
  'GET /follow-up/export.xlsx': READERS,
  'GET /department': ['liaison'],
  'GET /department/tasks/:id': ['liaison'],
  'GET /department/tasks/:id/attachments/:attachmentId': [...READERS, 'liaison'],
  'POST /department/tasks/:id/progress': ['liaison'],
  'POST /department/tasks/:id/completion': ['liaison'],
  'POST /department/tasks/:id/extension': ['liaison'],
  'GET /cases/:id/closing': READERS,
  'POST /cases/:id/return-visit': OFFICE,
  'POST /cases/:id/links': OFFICE,
  'GET /dashboard': READERS,
  'GET /display': READERS,
  'GET /reports': READERS,
  'POST /reports': OFFICE,
  'GET /reports/:id/pdf': READERS,
  'GET /reports/cases.xlsx': READERS,
  'GET /api/follow-up/tasks': READERS,
  'GET /api/follow-up/tasks/:id': READERS,
  'POST /api/follow-up/tasks/:id/decisions/:decision': OFFICE,
  'GET /api/department/tasks': ['liaison'],
  'GET /api/department/tasks/:id': ['liaison'],
  'POST /api/department/tasks/:id/progress': ['liaison'],
  'POST /api/department/tasks/:id/completion': ['liaison'],
  'POST /api/department/tasks/:id/extension': ['liaison'],
  'POST /api/cases/:id/return-visit': OFFICE,
  'POST /api/cases/:id/links': OFFICE,
  'GET /api/dashboard': READERS,
  'GET /api/reports': READERS,
  'POST /api/reports': OFFICE,
  'GET /inbox': ['evaluator'],
  'POST /inbox/invitations/:id': ['evaluator'],
  'GET /api/inbox': ['evaluator'],
  'POST /api/inbox/invitations/:id': ['evaluator'],
  'POST /cases/:id/meeting': OFFICE,
  'GET /meetings': ['evaluator'],
  'GET /meetings/:id': ['admin', 'staff', 'auditor', 'evaluator'],
  'POST /meetings/:id/open': OFFICE,
  'GET /meetings/:id/steps/:step': ['evaluator'],
  'POST /meetings/:id/steps/:step/save': ['evaluator'],
  'POST /meetings/:id/steps/:step/submit': ['evaluator'],
  'POST /meetings/:id/steps/:step/amend': ['evaluator'],
  'POST /meetings/:id/steps/:step/close': ['evaluator'],
  'GET /meetings/:id/resolution': ['admin', 'staff', 'auditor', 'evaluator'],
  'POST /meetings/:id/resolution/edit': ['evaluator'],
  'POST /meetings/:id/resolution/voting': ['evaluator'],
  'POST /meetings/:id/resolution/votes': ['evaluator'],
  'POST /meetings/:id/resolution/close': ['evaluator'],
  'POST /api/cases/:id/meeting': OFFICE,
  'POST /api/meetings/:id/open': OFFICE,
  'GET /api/meetings': ['evaluator'],
  'GET /api/meetings/:id': ['admin', 'staff', 'auditor', 'evaluator'],
  'GET /api/meetings/:id/steps/:step/sheet': ['evaluator'],
  'POST /api/meetings/:id/steps/:step/sheet': ['evaluator'],
  'POST /api/meetings/:id/steps/:step/submit': ['evaluator'],
  'POST /api/meetings/:id/steps/:step/amend': ['evaluator'],
  'GET /api/meetings/:id/steps/:step/sheets': ['evaluator'],
  'POST /api/meetings/:id/steps/:step/close': ['evaluator'],
  'GET /api/meetings/:id/resolution': ['admin', 'staff', 'auditor', 'evaluator'],
  'POST /api/meetings/:id/resolution': ['evaluator'],
  'POST /api/meetings/:id/resolution/voting': ['evaluator'],
  'POST /api/meetings/:id/resolution/votes': ['evaluator'],
  'POST /api/meetings/:id/resolution/close': ['evaluator'],
  'POST /api/meetings/:id/resolution/corrections': OFFICE,
  'GET /audit': ['auditor'],
  'GET /api/audit': ['auditor'],
  // Logging out ends the agent's session, so these run last.
  'POST /logout': ALL,
  'POST /api/auth/logout': ALL,
};

describe('role × route access', () => {
  let t: TestApp;
  const agents = {} as Record<Role, Agent>;
  let ids: Record<string, number>;

  beforeAll(async () => {
    t = await createTestApp();
    for (const role of ROLES) agents[role] = await loginAs(t, role === 'evaluator' ? 'pingjia' : role);
    const victim = await agents.security.post('/api/accounts').set('x-csrf-token', agents.security.csrfToken).send({ username: 'victim', displayName: '测试对象', role: 'staff' });
    const evaluator = await t.dataSource.getRepository(Evaluator).findOneByOrFail({ id: 2 });
    const conflict = await t.dataSource.getRepository(ConflictDeclaration).save({
      evaluatorId: evaluator.id, kind: 'other', departmentId: null, description: '他人的申报', untilYear: null, declaredAt: Date.now(), withdrawnAt: null,
    });
    ids = { account: victim.body.account.id, evaluator: evaluator.id, application: 1, import: 999, conflict: conflict.id };
  });
  afterAll(() => t.close());

  it('lists every route the app serves', () => {
    const served = listRoutes(t.app).filter((r) => !r.includes('/api/docs'));
    const unlisted = served.filter((r) => !(r in MATRIX));
    const stale = Object.keys(MATRIX).filter((r) => !served.includes(r));
    expect({ unlisted, stale }).toEqual({ unlisted: [], stale: [] });
  });

  const concrete = (route: string) => {
    const [method, path] = route.split(' ');
    const id = path.startsWith('/accounts') || path.startsWith('/api/accounts') ? ids.account
      : path.includes('/applications/') ? ids.application
      : path.includes('/import/') ? ids.import
      : path.includes('/conflicts/') ? ids.conflict
      : ids.evaluator;
    return { method: method.toLowerCase() as 'get' | 'post', path: path.replace(':id', String(id)).replace(':attachmentId', '1').replace(':code', 'ABCDEF012345').replace(':step', 'facts').replace(':job', '0123456789abcdef').replace(':kind', 'decision').replace(':decision', 'confirmed') };
  };

  it('answers an address whose id is not a number with 404, never a 500, for pages and the API alike', async () => {
    const outcomes: string[] = [];
    for (const [route, allowed] of Object.entries(MATRIX)) {
      if (!route.includes(':') || allowed === 'public' || allowed === 'docs') continue;
      const [method, path] = route.split(' ');
      const role = allowed[0] as (typeof ROLES)[number];
      const agent = agents[role];
      const bad = path.replace(/:[a-zA-Z]+/g, 'abc');
      const res = method === 'GET' ? await agent.get(bad) : path.startsWith('/api/')
        ? await agent.post(bad).set('x-csrf-token', agent.csrfToken).send({})
        : await agent.post(bad).type('form').send({ _csrf: agent.csrfToken });
      if (res.status >= 500) outcomes.push(`${method} ${bad} (${role}) → ${res.status}`);
    }
    expect(outcomes).toEqual([]);
  });

  for (const role of ROLES) {
    it(`${role}: allowed routes answer, the others refuse with 403`, async () => {
      const outcomes: string[] = [];
      for (const [route, allowed] of Object.entries(MATRIX)) {
        const { method, path } = concrete(route);
        // Each log-out gets a session of its own to end.
        const agent = route.endsWith('logout') ? await loginAs(t, role === 'evaluator' ? 'pingjia' : role) : agents[role];
        const res = await agent[method](path).set('x-csrf-token', agent.csrfToken).send({});
        const mayCall = allowed === 'public' || allowed === 'docs' || allowed.includes(role);
        const ok = res.status < 500 && (mayCall ? res.status !== 401 && res.status !== 403 : res.status === 403);
        if (!ok) outcomes.push(`${route} → ${res.status} (${mayCall ? 'should be allowed' : 'should be 403'})`);
      }
      expect(outcomes).toEqual([]);
    });
  }

  it('anonymous visitors reach only public routes', async () => {
    const outcomes: string[] = [];
    for (const [route, allowed] of Object.entries(MATRIX)) {
      const { method, path } = concrete(route);
      // A visitor's browser holds the anonymous CSRF token from the page it came from.
      const { agent, token } = await anonymousForm(t);
      const res = path.startsWith('/api/') ? await agent[method](path).send({}) : await agent[method](path).type('form').send({ _csrf: token });
      const denied = res.status === 401 || res.status === 403 || (res.status === 303 && /\/login/.test(res.headers.location ?? ''));
      const ok = res.status < 500 && (allowed === 'public' ? !denied || route === 'GET /' : denied);
      if (!ok) outcomes.push(`${route} → ${res.status}`);
    }
    expect(outcomes).toEqual([]);
  });

  it('an evaluator cannot withdraw another evaluator’s conflict declaration (404)', async () => {
    const evaluator = await loginAs(t, 'pingjia');
    const res = await evaluator.post(`/api/me/conflicts/${ids.conflict}/withdraw`).set('x-csrf-token', evaluator.csrfToken);
    expect(res.status).toBe(404);
    const conflict = await t.dataSource.getRepository(ConflictDeclaration).findOneByOrFail({ id: ids.conflict });
    expect(conflict.withdrawnAt).toBeNull();
  });

  it('the security administrator cannot read the pool or the audit log, and the auditor cannot manage accounts', async () => {
    const security = await loginAs(t, 'security');
    const auditor = await loginAs(t, 'auditor');
    expect((await security.get('/api/pool/evaluators')).status).toBe(403);
    expect((await security.get('/api/audit')).status).toBe(403);
    expect((await auditor.get('/api/accounts')).status).toBe(403);
    const account = await t.dataSource.getRepository(UserAccount).findOneByOrFail({ username: 'staff' });
    expect((await auditor.post(`/api/accounts/${account.id}/active`).set('x-csrf-token', auditor.csrfToken).send({ active: false })).status).toBe(403);
  });
});
