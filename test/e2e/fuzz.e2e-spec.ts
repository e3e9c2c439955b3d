import fc from 'fast-check';
import request from 'supertest';
import { Agent, createTestApp, evaluatorAgent, loginAs, TestApp } from '../support/create-test-app';
import { resolutionForLiaison } from '../support/resolution';
import { INJECTION_CORPUS } from '../support/corpus';
import { listRoutes } from '../support/routes';


const corpusValue = fc.oneof(fc.constantFrom(...INJECTION_CORPUS), fc.jsonValue({ maxDepth: 2 }), fc.integer(), fc.boolean(), fc.constant(null));
const body = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('answers', 'version', 'items', 'text', 'reason', 'until', 'month', 'meetingId', 'constructor', '__proto__')), corpusValue, { maxKeys: 6 }),
);

/**
 * Every JSON write the API has, fed random and hostile bodies by the roles that may call it
 * (and one that may not): the answer is always 2xx or 4xx, never a 500.
 */
describe('every JSON endpoint under random bodies', () => {
  let t: TestApp;
  let agents: Agent[];
  let signIn: (() => Promise<Agent>)[];
  let routes: string[];

  beforeAll(async () => {
    t = await createTestApp({ evaluatorScale: 0.25 });
    const { meetingId } = await resolutionForLiaison(t);
    const [chair] = await t.dataSource.query(`SELECT chairEvaluatorId AS id FROM meeting WHERE id = ?`, [meetingId]);
    signIn = [() => loginAs(t, 'admin'), () => loginAs(t, 'liaison'), () => evaluatorAgent(t, chair.id), () => loginAs(t, 'security')];
    agents = await Promise.all(signIn.map((f) => f()));
    routes = listRoutes(t.app).filter((r) => /^(POST) \/api\//.test(r) && !r.includes('/logout') && !r.includes('/auth/password'));
  });
  afterAll(() => t.close());

  it('answers every write with 2xx or 4xx', async () => {
    expect(routes.length).toBeGreaterThan(40);
    const failures: string[] = [];
    const statuses: Record<number, number> = {};
    for (const route of routes) {
      const path = route.slice(5).replace(/:id/g, '1').replace(':step', 'facts').replace(':decision', 'confirmed').replace(':job', 'x').replace(':code', '1').replace(':attachmentId', '1');
      await fc.assert(
        fc.asyncProperty(body, fc.nat(agents.length), async (payload, who) => {
          const res = who < agents.length
            ? await agents[who].post(path).set('x-csrf-token', agents[who].csrfToken).set('content-type', 'application/json').send(JSON.stringify(payload))
            : await request(t.http).post(path).set('content-type', 'application/json').send(JSON.stringify(payload));
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          // A fuzzed account action may end sessions (a reset, a role change): sign in again, reactivating if need be.
          if (res.status === 401 && who < agents.length) {
            await t.dataSource.query(`UPDATE user_account SET active = TRUE, mustChangePassword = FALSE WHERE username IN ('admin', 'liaison', 'security')`);
            await t.dataSource.query(`DELETE FROM login_throttle`);
            agents[who] = await signIn[who]().catch(() => agents[who]);
          }
          if (res.status >= 500) failures.push(`${route} ${res.status} ${JSON.stringify(payload).slice(0, 120)}`);
          return true;
        }),
        { numRuns: 12, seed: 7 },
      );
    }
    expect(failures).toEqual([]);
    // The bodies got past the guard into validation, not just bounced at the door.
    expect(statuses[422]).toBeGreaterThan(20);
  });
});
