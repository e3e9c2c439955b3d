import request from 'supertest';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { openDatabase } from '../../src/database/data-source';
import { MIGRATIONS } from '../../src/database/migration-list';
import { Panel, PanelMember } from '../../src/draws/panel.entity';
import { SecondFactorService } from '../../src/auth/second-factor.service';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { FollowUpScheduler } from '../../src/followup/follow-up-scheduler.service';
import { createTestApp, evaluatorAgent, loginAs, TestApp } from '../support/create-test-app';
import { caseBody } from '../support/factories';
import { nextDayNineAm } from '../support/office-time';
import { adoptedResolution } from '../support/resolution';
import { dropPostgresDatabase, freshPostgresDatabase, TEST_POSTGRES } from '../support/postgres';

/**
 * Two service instances on one database (two processes' worth of state: separate caches,
 * queues and schedulers): sessions are shared and ended everywhere, a draw is taken once
 * whichever instance the requests reach, a ballot is recorded once, documents are numbered
 * without a clash, instances starting together migrate in turn, and the
 * daily digest goes out once. The suite runs it on SQLite and again on PostgreSQL.
 */
describe('two instances on one database', () => {
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    a = await createTestApp();
    b = await createTestApp({ sameDatabaseAs: a });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('shares sessions, and a log-out on one ends the session on the other at once', async () => {
    const login = await request(a.http).post('/api/auth/login').send({ username: 'staff', password: 'Tianping-Demo-2026' });
    const cookie = ([] as string[]).concat(login.headers['set-cookie']).find((c) => c.startsWith('tp_sid='))!.split(';')[0];
    expect((await request(b.http).get('/api/auth/me').set('cookie', cookie)).status).toBe(200);
    expect((await request(a.http).post('/api/auth/logout').set('cookie', cookie).set('x-csrf-token', login.body.csrfToken)).status).toBe(200);
    expect((await request(b.http).get('/api/auth/me').set('cookie', cookie)).status).toBe(401);
  });

  it('keeps a session alive that is busy on the other instance, past the idle time of a cached copy', async () => {
    const login = await request(a.http).post('/api/auth/login').send({ username: 'auditor', password: 'Tianping-Demo-2026' });
    const cookie = ([] as string[]).concat(login.headers['set-cookie']).find((c) => c.startsWith('tp_sid='))!.split(';')[0];
    expect((await request(b.http).get('/api/auth/me').set('cookie', cookie)).status).toBe(200); // B caches it
    const minutes = (n: number) => {
      a.clock.advance(n * 60_000);
      b.clock.advance(n * 60_000);
    };
    minutes(10);
    expect((await request(a.http).get('/api/auth/me').set('cookie', cookie)).status).toBe(200); // used on A
    minutes(10); // 20 minutes since B last saw it, 10 since it was used
    expect((await request(b.http).get('/api/auth/me').set('cookie', cookie)).status).toBe(200);
  });

  it('takes a draw exactly once when the requests are spread over both instances', async () => {
    const onA = await loginAs(a, 'staff');
    const onB = await loginAs(b, 'staff');
    const kase = await onA.post('/api/cases').set('x-csrf-token', onA.csrfToken).send(caseBody());
    const agents = [onA, onB];
    const commits = await Promise.all(Array.from({ length: 10 }, (_, i) => agents[i % 2].post(`/api/cases/${kase.body.id}/draws`).set('x-csrf-token', agents[i % 2].csrfToken).send({})));
    expect(commits.filter((r) => r.status === 201)).toHaveLength(1);
    expect(commits.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const drawId = commits.find((r) => r.status === 201)!.body.id;
    const witnesses = await Promise.all(Array.from({ length: 40 }, (_, i) => agents[i % 2].post(`/api/draws/${drawId}/witness`).set('x-csrf-token', agents[i % 2].csrfToken).send({ witnessName: '见证人', witnessRole: '监督员', witnessInput: `${i}` })));
    expect(witnesses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(witnesses.filter((r) => r.status >= 500)).toHaveLength(0);
    expect(await a.dataSource.getRepository(Panel).countBy({ caseId: kase.body.id })).toBe(1);
    expect(await b.dataSource.getRepository(PanelMember).countBy({ drawId })).toBeGreaterThan(0);
  });

  it('accepts a second-factor code once, even when both instances check it before either records it', async () => {
    const { generateSync } = await import('otplib');
    const admin = await loginAs(a, 'admin');
    const { secret } = (await admin.post('/api/auth/two-factor/setup').set('x-csrf-token', admin.csrfToken)).body;
    const code = () => generateSync({ secret, epoch: Math.floor(a.clock.now().getTime() / 1000) });
    await admin.post('/api/auth/two-factor/enable').set('x-csrf-token', admin.csrfToken).send({ code: code() });
    a.clock.advance(60_000);
    b.clock.advance(a.clock.now().getTime() - b.clock.now().getTime());
    const fresh = code();
    const [{ id }] = await a.dataSource.query(`SELECT id FROM user_account WHERE username = 'admin'`);
    // The race, step by step: both instances find the code good, then both try to record it.
    const [onA, onB] = [a, b].map((x) => x.app.get(SecondFactorService));
    const [checkA, checkB] = [await onA.atLogin(id, fresh), await onB.atLogin(id, fresh)];
    expect([checkA.status, checkB.status]).toEqual(['ok', 'ok']);
    await a.app.get(UnitOfWork).run(async (m) => onA.markUsed(m, id, (checkA as { step: number }).step));
    await expect(b.app.get(UnitOfWork).run(async (m) => onB.markUsed(m, id, (checkB as { step: number }).step))).rejects.toThrow('动态验证码不正确或已使用过');
    expect((await request(b.http).post('/api/auth/login').send({ username: 'admin', password: 'Tianping-Demo-2026', totp: fresh })).status).toBe(401);
  });

  it('records a member’s ballot once when it reaches both instances at the same moment', async () => {
    const { meetingId, resolutionId, evaluatorIds } = await adoptedResolution(a, { untilVoting: true });
    const voter = evaluatorIds[1];
    const agents = [await evaluatorAgent(a, voter), await evaluatorAgent(b, voter)];
    const [{ items }] = await a.dataSource.query(`SELECT items FROM resolution WHERE id = ?`, [resolutionId]);
    const votes = (JSON.parse(items) as { key: string }[]).map((item) => ({ itemKey: item.key, choice: 'agree' }));
    const ballots = await Promise.all(Array.from({ length: 10 }, (_, i) => agents[i % 2].post(`/api/meetings/${meetingId}/resolution/votes`).set('x-csrf-token', agents[i % 2].csrfToken).send({ votes })));
    expect(ballots.filter((r) => r.status < 300)).toHaveLength(1);
    expect(ballots.filter((r) => r.status >= 500)).toHaveLength(0);
    const [{ n }] = await b.dataSource.query(`SELECT COUNT(*) AS n FROM vote WHERE resolutionId = ? AND evaluatorId = ?`, [resolutionId, voter]);
    expect(n).toBe(votes.length);
  });

  it('numbers documents issued at once on both instances without a gap or a clash', async () => {
    const [first, second] = [await adoptedResolution(a), await adoptedResolution(b)];
    const [onA, onB] = [await loginAs(a, 'staff'), await loginAs(b, 'staff')];
    const [x, y] = await Promise.all([
      onA.post(`/api/meetings/${first.meetingId}/documents`).set('x-csrf-token', onA.csrfToken),
      onB.post(`/api/meetings/${second.meetingId}/documents`).set('x-csrf-token', onB.csrfToken),
    ]);
    expect([x.status, y.status]).toEqual([201, 201]);
    const decisions = [x, y].map((r) => r.body.find((d: { kind: string }) => d.kind === 'decision').number as string).sort();
    expect(decisions).toEqual([expect.stringMatching(/〔\d{4}〕1号$/), expect.stringMatching(/〔\d{4}〕2号$/)]);

    // A batch started on one instance shows its progress and serves its zip on the other.
    const started = await onA.post('/api/documents/batches').set('x-csrf-token', onA.csrfToken).send({ meetingId: first.meetingId });
    expect(started.status).toBe(201);
    let job = started.body;
    for (let i = 0; i < 100 && job.status === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (await onB.get(`/api/documents/batches/${job.id}`)).body;
    }
    expect(job).toMatchObject({ status: 'done', documents: 4, zipUrl: `/documents/batches/${job.id}/zip` });
    const zip = await onB.get(job.zipUrl).responseType('blob');
    expect([zip.status, zip.headers['content-type'], zip.body.subarray(0, 2).toString()]).toEqual([200, 'application/zip', 'PK']);
  });

  (TEST_POSTGRES ? it : it.skip)('migrates once when two instances start at the same moment on an empty PostgreSQL database', async () => {
    const url = await freshPostgresDatabase();
    // What each instance does first at start-up, at the same moment.
    const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'error' });
    const both = await Promise.allSettled([openDatabase(config), openDatabase(config)]);
    try {
      expect(both.map((r) => (r.status === 'rejected' ? String(r.reason) : r.status))).toEqual(['fulfilled', 'fulfilled']);
      const [{ n }] = await (both[0] as PromiseFulfilledResult<DataSource>).value.query(`SELECT COUNT(*) AS n FROM schema_migrations`);
      expect(n).toBe(MIGRATIONS.length);
    } finally {
      for (const r of both) if (r.status === 'fulfilled') await r.value.destroy();
      await dropPostgresDatabase(url);
    }
  });

  it('counts a client’s log-in attempts on both instances together', async () => {
    // Two more instances on one database, with a limit of four log-ins a minute per address.
    const env = { RATE_LIMIT_LOGIN: '4' };
    const c = await createTestApp({ env });
    const d = await createTestApp({ sameDatabaseAs: c, env });
    try {
      const statuses = [];
      for (let i = 0; i < 6; i++) statuses.push((await request([c, d][i % 2].http).post('/api/auth/login').send({ username: `nobody${i}`, password: 'wrong-password-1' })).status);
      // Each instance alone has seen three: only the shared count stops the fifth and sixth.
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    } finally {
      await d.close();
      await c.close();
    }
  });

  it('sends the daily digest once when both schedulers tick together', async () => {
    // Both clocks to 09:00 tomorrow in Shanghai, after the 08:30 digest time.
    const now = a.clock.now().getTime();
    const nine = nextDayNineAm(now);
    a.clock.advance(nine - now);
    b.clock.advance(nine - b.clock.now().getTime());
    const [first, second] = await Promise.all([a.app.get(FollowUpScheduler).tick(), b.app.get(FollowUpScheduler).tick()]);
    expect([first.digest, second.digest].filter(Boolean)).toHaveLength(1);
    const [{ n }] = await a.dataSource.query(`SELECT COUNT(*) AS n FROM notice_sent WHERE key LIKE 'digest:%'`);
    expect(n).toBe(1);
  });
});
