import fc from 'fast-check';
import { spawn } from 'node:child_process';
import request from 'supertest';
import { Application } from '../../src/pool/application.entity';
import { createTestApp, loginAs, TestApp } from '../support/create-test-app';
import { applicationBody, validIdNumber } from '../support/factories';

describe('database durability, concurrency and hostile input', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('runs SQLite in WAL mode with synchronous=FULL, foreign keys and a busy timeout', async () => {
    const [[journal], [sync], [fk], [timeout]] = await Promise.all(
      ['journal_mode', 'synchronous', 'foreign_keys', 'busy_timeout'].map((p) => t.dataSource.query(`PRAGMA ${p}`)),
    );
    expect(journal.journal_mode).toBe('wal');
    expect(sync.synchronous).toBe(2);
    expect(fk.foreign_keys).toBe(1);
    expect(timeout.timeout).toBeGreaterThanOrEqual(5000);
  });

  it('keeps the audit log append-only, even against direct SQL', async () => {
    await expect(t.dataSource.query(`UPDATE audit_entry SET summary = 'rewritten'`)).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`DELETE FROM audit_entry`)).rejects.toThrow(/append-only/);
  });

  it('serialises 80 concurrent writes without SQLITE_BUSY or nested-transaction errors', async () => {
    const staff = await loginAs(t, 'staff');
    const submissions = Array.from({ length: 60 }, (_, i) =>
      request(t.http).post('/api/applications').send(applicationBody({ name: `并发${i}`, idNumber: validIdNumber(1970, 'male') })),
    );
    const changes = Array.from({ length: 20 }, (_, i) =>
      staff.post(`/api/pool/evaluators/${(i % 10) + 1}/status`).set('x-csrf-token', staff.csrfToken).send({ status: i < 10 ? 'suspended' : 'active', reason: `并发测试${i}` }),
    );
    const results = await Promise.all([...submissions, ...changes]);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.slice(0, 60).every((s) => s === 201)).toBe(true);
    expect(await t.dataSource.getRepository(Application).createQueryBuilder('a').where("a.name LIKE '并发%'").getCount()).toBe(60);
  });

  it('waits for another process holding the write lock instead of failing', async () => {
    // A second process (like the CLI or a backup) takes the write lock for 700 ms.
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(process.argv[1]);
      db.exec('BEGIN IMMEDIATE');
      db.prepare("INSERT INTO department (name, kind, sortOrder) VALUES ('外部进程写入', 'municipal', 99)").run();
      process.stdout.write('locked\\n');
      setTimeout(() => { db.exec('COMMIT'); db.close(); }, 700);`;
    const child = spawn(process.execPath, ['-e', script, t.databasePath], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    const res = await request(t.http).post('/api/applications').send(applicationBody({ name: '锁等待' }));
    await new Promise((resolve) => child.once('exit', resolve));
    expect(res.status).toBe(201);
  });

  it('answers random JSON bodies on every API endpoint with 2xx or 4xx, never 500', async () => {
    const admin = await loginAs(t, 'admin');
    const security = await loginAs(t, 'security');
    const evaluator = await loginAs(t, 'pingjia');
    const targets: [typeof admin, string][] = [
      [admin, '/api/pool/evaluators/5/status'],
      [admin, '/api/pool/applications/2/reject'],
      [security, '/api/accounts'],
      [security, '/api/accounts/2/role'],
      [security, '/api/accounts/2/active'],
      [evaluator, '/api/me/conflicts'],
      [admin, '/api/auth/password'],
    ];
    const anonymous = ['/api/applications', '/api/auth/login'];
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.nat(targets.length + anonymous.length - 1), async (body, which) => {
        const res = which < targets.length
          ? await targets[which][0].post(targets[which][1]).set('x-csrf-token', targets[which][0].csrfToken).set('content-type', 'application/json').send(JSON.stringify(body))
          : await request(t.http).post(anonymous[which - targets.length]).set('content-type', 'application/json').send(JSON.stringify(body));
        return res.status < 500;
      }),
      { numRuns: 150, seed: 20261121 },
    );
  });

  it('answers malformed JSON with 400 and unknown fields with 422 naming them', async () => {
    const bad = await request(t.http).post('/api/applications').set('content-type', 'application/json').send('{"name": ');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('请求内容不是有效的 JSON。');
    const extra = await request(t.http).post('/api/applications').send({ ...applicationBody(), isAdmin: true });
    expect(extra.status).toBe(422);
    expect(extra.body.fields).toEqual({ isAdmin: '不允许的字段' });
    const wrongType = await request(t.http).post('/api/applications').send({ ...applicationBody(), birthYear: { $gt: 1 } });
    expect(wrongType.status).toBe(422);
    expect(wrongType.body.fields.birthYear).toBe('出生年份应为整数');
  });

  it('sends security headers and serves every asset itself', async () => {
    const res = await request(t.http).get('/apply');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    for (const asset of ['/assets/app.css', '/assets/app.js', '/api/docs']) {
      expect((await request(t.http).get(asset).redirects(1)).status).toBe(200);
    }
    const docs = await request(t.http).get('/api/docs-json');
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/api/applications', '/api/pool/evaluators', '/api/audit']));
  });

  it('answers an unknown page with a Chinese 404 page and a way back', async () => {
    const res = await request(t.http).get('/no/such/page');
    expect(res.status).toBe(404);
    expect(res.text).toContain('找不到您要访问的页面或记录');
    expect(res.text).toContain('回到首页');
    const api = await request(t.http).get('/api/no-such');
    expect(api.body).toMatchObject({ error: 'not_found' });
  });

  it('reports health for a load balancer', async () => {
    expect((await request(t.http).get('/health')).body).toEqual({ status: 'ok', database: 'ok' });
  });
});
