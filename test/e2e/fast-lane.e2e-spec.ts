import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { UserAccount } from '../../src/auth/user-account.entity';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo';
import { fastLaneServed } from '../../src/web/fast-lane';
import { Agent, createTestApp, evaluatorAgent, loginAs, TestApp } from '../support/create-test-app';
import { caseBody, meetingTime } from '../support/factories';
import { seatPanel } from '../support/panel';

const post = (agent: Agent, path: string, body: object = {}) => agent.post(path).set('x-csrf-token', agent.csrfToken).send(body);

/**
 * The autosave's short way (src/web/fast-lane.ts) must answer exactly as the usual way does.
 * Every request here is sent twice: to the autosave's path, which the lane takes, and with a
 * query string, which it leaves to the full Express and Nest pipeline; the answers must match.
 */
describe('the autosave fast lane', () => {
  let t: TestApp;
  let meetingId: number;
  let members: { id: number; agent: Agent; cookie: string; csrf: string }[];
  let staff: Agent;

  /** A fresh session of its own, as raw cookie and CSRF token, to send by hand. */
  const session = async (username: string) => {
    const res = await request(t.http).post('/api/auth/login').send({ username, password: DEMO_PASSWORD });
    if (res.status !== 200) throw new Error(`log-in ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('tp_sid='))!.split(';')[0];
    return { cookie, csrf: res.body.csrfToken as string };
  };
  const usernameOf = async (evaluatorId: number) => (await t.dataSource.getRepository(UserAccount).findOneByOrFail({ evaluatorId })).username;

  beforeAll(async () => {
    // Log-ins by hand, more than the per-address limit allows in a minute.
    t = await createTestApp({ evaluatorScale: 0.25, env: { RATE_LIMIT_LOGIN: '100' } });
    staff = await loginAs(t, 'staff');
    const caseId = (await post(staff, '/api/cases', caseBody({ departmentIds: [3] }))).body.id;
    members = [];
    for (const m of await seatPanel(t, staff, caseId)) members.push({ ...m, ...(await session(await usernameOf(m.id))) });
    meetingId = (await post(staff, `/api/cases/${caseId}/meeting`, { scheduledAt: meetingTime(), place: '市信访局三楼会议室' })).body.id;
    expect((await post(staff, `/api/meetings/${meetingId}/open`)).status).toBe(200);
  });
  afterAll(() => t.close());

  interface Sent { path?: string; cookie?: string; csrf?: string; body?: string | object; type?: string }
  const send = (s: Sent, suffix: string) => {
    let r = request(t.http).post(`${s.path ?? `/api/meetings/${meetingId}/steps/facts/sheet`}${suffix}`).set('content-type', s.type ?? 'application/json');
    if (s.cookie) r = r.set('cookie', s.cookie);
    if (s.csrf) r = r.set('x-csrf-token', s.csrf);
    return r.send(typeof s.body === 'string' ? s.body : JSON.stringify(s.body ?? {}));
  };
  /** What a client can tell apart: status, body (without the request id and times), headers. */
  const seen = (res: request.Response) => {
    const { requestId, updatedAt, ...body } = res.body as Record<string, unknown>;
    const headers: Record<string, unknown> = Object.fromEntries(Object.entries(res.headers).filter(([k]) => !['date', 'etag', 'x-request-id', 'content-length', 'connection', 'keep-alive'].includes(k)));
    // A fresh anonymous CSRF cookie each time: its name and attributes must match, not its value.
    if (headers['set-cookie']) headers['set-cookie'] = ([] as string[]).concat(headers['set-cookie'] as string[]).map((c) => c.replace(/^tp_csrf=[^;]+/, 'tp_csrf=…'));
    return { status: res.status, body, hasRequestId: typeof requestId === 'string' || !!res.headers['x-request-id'], updatedAt: typeof updatedAt, headers };
  };
  /** Sends one request both ways; the lane must have taken the first and only the first. */
  const bothWays = async (lane: Sent, usual: Sent = lane) => {
    const before = fastLaneServed.count;
    const fast = await send(lane, '');
    expect(fastLaneServed.count).toBe(before + 1);
    const slow = await send(usual, '?via=usual');
    expect(fastLaneServed.count).toBe(before + 1);
    return { fast, slow };
  };
  const same = async (s: Sent) => {
    const { fast, slow } = await bothWays(s);
    expect(seen(fast)).toEqual(seen(slow));
    return fast;
  };

  it('saves a draft exactly as the usual way does, version-checked', async () => {
    const [a, b] = members;
    const draft = { answers: { factsClear: 'yes', keyFacts: '安置面积' }, version: 0 };
    const { fast, slow } = await bothWays({ cookie: a.cookie, csrf: a.csrf, body: draft }, { cookie: b.cookie, csrf: b.csrf, body: draft });
    expect(fast.status).toBe(200);
    expect(fast.body).toMatchObject({ status: 'draft', version: 1 });
    expect(fast.headers['cache-control']).toBe('private, no-store');
    expect(fast.headers['content-security-policy']).toContain("default-src 'self'");
    const { id: fastId, ...fastRest } = seen(fast).body;
    const { id: slowId, ...slowRest } = seen(slow).body;
    expect([typeof fastId, fastId === slowId]).toEqual(['number', false]);
    expect({ ...seen(fast), body: fastRest }).toEqual({ ...seen(slow), body: slowRest });
    expect((await a.agent.get(`/api/meetings/${meetingId}/steps/facts/sheet`)).body.sheet).toMatchObject({ version: 1, answers: { factsClear: 'yes', keyFacts: '安置面积' } });

    // A second tab still at version 0: the same 409 and message both ways, and nothing written.
    const stale = await same({ cookie: a.cookie, csrf: a.csrf, body: { answers: { factsClear: 'no' }, version: 0 } });
    expect(stale.status).toBe(409);
    expect(stale.body.message).toContain('当前第1版');
    expect((await a.agent.get(`/api/meetings/${meetingId}/steps/facts/sheet`)).body.sheet.answers.factsClear).toBe('yes');
  });

  it('refuses what the usual way refuses, with the same status, message and fields', async () => {
    const [a] = members;
    const own = { cookie: a.cookie, csrf: a.csrf };
    const outsiderId = [1, 2, 3, 4].find((id) => !members.some((m) => m.id === id))!;
    await evaluatorAgent(t, outsiderId);
    const outsider = await session(await usernameOf(outsiderId));
    const office = await session('staff');
    const body = { answers: { factsClear: 'yes' }, version: 1 };
    const cases: [Sent, number][] = [
      [{ cookie: a.cookie, body }, 403], // no CSRF token
      [{ ...own, csrf: 'x'.repeat(43), body }, 403], // a wrong one of the right length
      [{ ...own, csrf: 'é'.repeat(43), body }, 403], // as many characters, twice the bytes
      [{ body }, 401], // no session
      [{ cookie: 'tp_sid=nonsense', body }, 401],
      [{ ...own, body: { ...body, hack: 1 } }, 422], // an extra field
      [{ ...own, body: { answers: { factsClear: 'yes', hack: 1 }, version: 1 } }, 422], // an unknown answer
      [{ ...own, body: { answers: 'yes', version: 1 } }, 422],
      [{ ...own, body: { answers: {}, version: 'one' } }, 422],
      [{ ...own, body: { answers: {}, version: -1 } }, 422],
      [{ ...own, body: { answers: { factsClear: 'perhaps' }, version: 1 } }, 422],
      [{ ...own, body: '{"answers": ' }, 400], // broken JSON
      [{ ...own, body: JSON.stringify({ answers: { keyFacts: 'x'.repeat(1_100_000) }, version: 1 }) }, 413],
      [{ ...own, body: { answers: { keyFacts: 'a\u0000b' }, version: 1 } }, 422],
      [{ ...own, path: `/api/meetings/abc/steps/facts/sheet`, body }, 404],
      [{ ...own, path: `/api/meetings/${meetingId}e3/steps/facts/sheet`, body }, 404], // the global pipe reads it as a number first, as Nest does
      [{ ...own, path: `/api/meetings/99999/steps/facts/sheet`, body }, 404],
      [{ ...own, path: `/api/meetings/${meetingId}/steps/verdict/sheet`, body }, 404],
      [{ ...own, path: `/api/meetings/${meetingId}/steps/procedure/sheet`, body: { answers: {}, version: 0 } }, 409], // not open yet
      [{ ...outsider, body: { answers: {}, version: 0 } }, 404], // not on the panel
      [{ ...office, body: { answers: {}, version: 0 } }, 403], // office staff do not score
    ];
    for (const [sent, status] of cases) {
      // Labelled, so a failure names the request.
      const label = JSON.stringify({ ...sent, cookie: sent.cookie?.slice(0, 10), csrf: sent.csrf?.slice(0, 4) }).slice(0, 160);
      const { fast, slow } = await bothWays(sent);
      expect([label, seen(fast)]).toEqual([label, seen(slow)]);
      expect([label, fast.status]).toEqual([label, status]);
      expect(typeof fast.body.message).toBe('string');
    }
    // Nothing above was written.
    expect((await members[0].agent.get(`/api/meetings/${meetingId}/steps/facts/sheet`)).body.sheet.version).toBe(1);
  });

  it('answers an ended session the same way, clearing the cookie', async () => {
    const { cookie, csrf } = await session(await usernameOf(members[2].id));
    expect((await request(t.http).post('/api/auth/logout').set('cookie', cookie).set('x-csrf-token', csrf)).status).toBe(200);
    const ended = await same({ cookie, csrf, body: { answers: {}, version: 0 } });
    expect(ended.status).toBe(401);
    expect(String(ended.headers['set-cookie'])).toContain('tp_sid=;');
  });

  it('leaves to the usual way what it does not match exactly', async () => {
    const [a] = members;
    const before = fastLaneServed.count;
    const form = await request(t.http).post(`/api/meetings/${meetingId}/steps/facts/sheet`).set('cookie', a.cookie).set('x-csrf-token', a.csrf).type('form').send('version=1&answers[factsClear]=partly');
    const trailing = await request(t.http).post(`/api/meetings/${meetingId}/steps/facts/sheet/`).set('cookie', a.cookie).set('x-csrf-token', a.csrf).send({ answers: { factsClear: 'partly' }, version: 2 });
    const read = await request(t.http).get(`/api/meetings/${meetingId}/steps/facts/sheet`).set('cookie', a.cookie);
    expect(fastLaneServed.count).toBe(before);
    expect([form.status, form.body.version, trailing.status, trailing.body.version, read.status]).toEqual([200, 2, 200, 3, 200]);
  });

  it('knows every global enhancer and application-wide middleware there is', () => {
    // The lane runs the global guard, pipe and filter and the session middleware, and leaves out
    // the form interceptor and the rate-limit and upload middleware, which pass the autosave by.
    // A new one must be added to the lane (src/web/fast-lane.ts), or to this list if it too lets
    // the autosave by; otherwise the lane would skip it unnoticed.
    const enhancers = (Reflect.getMetadata('providers', AppModule) as { provide?: unknown; useClass?: { name: string } }[]).map((p) => `${String(p.provide)}:${p.useClass?.name}`);
    expect(enhancers).toEqual(['APP_GUARD:AccessGuard', 'APP_PIPE:TianpingValidationPipe', 'APP_INTERCEPTOR:FormViewInterceptor', 'APP_FILTER:ErrorFilter']);
    const applied: string[] = [];
    const consumer = { apply: (...middleware: { name: string }[]) => ({ forRoutes: () => applied.push(...middleware.map((m) => m.name)) && consumer }) };
    new AppModule().configure(consumer as never);
    expect(applied).toEqual(['SessionMiddleware', 'RateLimitMiddleware', 'UploadMiddleware']);
  });
});
