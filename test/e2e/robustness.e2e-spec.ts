import fc from 'fast-check';
import { spawn } from 'node:child_process';
import request from 'supertest';
import { Application } from '../../src/pool/application.entity';
import { WRITER_LOCK_KEY } from '../../src/database/postgres-connection';
import { rawConnection } from '../../src/database/raw-rows';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { createTestApp, loginAs, TestApp } from '../support/create-test-app';
import { applicationBody, caseBody, validIdNumber } from '../support/factories';

describe('database durability, concurrency and hostile input', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('runs the database in its durable mode: SQLite in WAL with synchronous=FULL, foreign keys and a busy timeout; PostgreSQL with fsync and synchronous commits', async () => {
    if (t.databaseUrl) {
      const [{ fsync, commit }] = await t.dataSource.query(`SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS commit`);
      expect([fsync, commit]).toEqual(['on', 'on']);
      return;
    }
    const [[journal], [sync], [fk], [timeout]] = await Promise.all(
      ['journal_mode', 'synchronous', 'foreign_keys', 'busy_timeout'].map((p) => t.dataSource.query(`PRAGMA ${p}`)),
    );
    expect(journal.journal_mode).toBe('wal');
    expect(sync.synchronous).toBe(2);
    expect(fk.foreign_keys).toBe(1);
    expect(timeout.timeout).toBeGreaterThanOrEqual(5000);
    // Every statement on the service's connection is prepared with plan-stable parameters (stable-plans.ts).
    expect(rawConnection(t.dataSource).prepare('SELECT id FROM meeting WHERE id = ?')).toMatchObject({ source: 'SELECT id FROM meeting WHERE id = +?' });
  });

  it('answers a NUL character in a path or a search with 404 or 422, never 500 (PostgreSQL cannot compare text holding one)', async () => {
    const staff = await loginAs(t, 'staff');
    expect((await staff.get('/api/documents/batches/%00')).status).toBe(404);
    expect((await request(t.http).get('/api/verify/documents/ab%00cd')).status).toBe(404);
    expect((await staff.get('/api/cases?q=%00')).status).toBe(422);
    // A backslash and a percent sign are ordinary characters in a search, on either database.
    expect((await staff.post('/api/cases').set('x-csrf-token', staff.csrfToken).send(caseBody({ title: '材料见 D:\\卷宗\\100%' }))).status).toBe(201);
    for (const q of ['D:\\卷宗', '100%']) expect((await staff.get(`/api/cases?q=${encodeURIComponent(q)}`)).body.total).toBe(1);
    expect((await staff.get(`/api/cases?q=${encodeURIComponent('D:卷宗')}`)).body.total).toBe(0);
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

  it('commits the first 16 writes queued without waiting for the ones read after them, and groups fewer', async () => {
    const uow = t.app.get(UnitOfWork);
    const log: string[] = [];
    const unit = (i: number) => uow.run(async () => void log.push(`work ${i}`)).then(() => void log.push(`done ${i}`));
    // Queued in two waves, a turn of the microtasks apart, as requests read one after another.
    const waves = async (first: number, second: number) => {
      log.length = 0;
      const queued = Array.from({ length: first }, (_, i) => unit(i));
      await Promise.resolve();
      queued.push(...Array.from({ length: second }, (_, i) => unit(first + i)));
      await Promise.all(queued);
    };
    await waves(16, 8);
    expect(log.indexOf('done 0')).toBeLessThan(log.indexOf('work 16'));
    await waves(15, 8);
    expect(log.indexOf('work 22')).toBeLessThan(log.indexOf('done 0'));
  });

  /** A second process (like the CLI, a backup, another instance) that takes the write lock and keeps it until told to let go. */
  async function lockHolder(): Promise<{ release: () => Promise<void> }> {
    const script = t.databaseUrl ? `
      const { Client } = require('pg');
      const db = new Client({ connectionString: process.argv[1] });
      db.connect().then(async () => {
        await db.query('BEGIN');
        await db.query('SELECT pg_advisory_xact_lock(${WRITER_LOCK_KEY})');
        process.stdout.write('locked\\n');
        process.stdin.once('data', async () => { await db.query('COMMIT'); await db.end(); });
      });` : `
      const Database = require('better-sqlite3');
      const db = new Database(process.argv[1]);
      db.exec('BEGIN IMMEDIATE');
      process.stdout.write('locked\\n');
      process.stdin.once('data', () => { db.exec('COMMIT'); db.close(); process.exit(0); });`;
    const child = spawn(process.execPath, ['-e', script, t.databaseUrl ?? t.databasePath], { cwd: process.cwd(), stdio: ['pipe', 'pipe', 'inherit'] });
    // Listened for at once: the child may be done before anything else is awaited.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    return {
      release: async () => {
        child.stdin.end('go\n');
        await exited;
      },
    };
  }

  it('keeps serving while another process holds the write lock, and writes once it lets go', async () => {
    const holder = await lockHolder();
    let settled = false;
    let page;
    const write = request(t.http).post('/api/applications').send(applicationBody({ name: '锁等待' })).then((res) => {
      settled = true;
      return res;
    });
    try {
      // Give the write time to reach the lock; then pages and reads must still be answered
      // (SQLite's own busy wait would hold the event loop until the other process let go).
      await new Promise((resolve) => setTimeout(resolve, 300));
      page = await request(t.http).get('/apply');
      expect(settled).toBe(false);
    } finally {
      await holder.release();
    }
    expect(page.status).toBe(200);
    expect((await write).status).toBe(201);
  });

  it('gives up on a lock held past the busy timeout with a clear 503, writing nothing', async () => {
    const impatient = await createTestApp({ sameDatabaseAs: t, env: { DATABASE_BUSY_TIMEOUT_MS: '300' } });
    try {
      const holder = await lockHolder();
      let res;
      try {
        res = await request(impatient.http).post('/api/applications').send(applicationBody({ name: '锁超时' }));
      } finally {
        await holder.release();
      }
      expect(res.status).toBe(503);
      expect(res.body.message).toContain('数据库正被其他程序');
      expect(await t.dataSource.getRepository(Application).countBy({ name: '锁超时' })).toBe(0);
    } finally {
      await impatient.close();
    }
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
    expect(wrongType.body.fields.birthYear).toBe('出生年份请填写4位数字，例如 1960');
  });

  it('sends security headers and serves every asset itself', async () => {
    const res = await request(t.http).get('/apply');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    for (const asset of ['/assets/app.css', '/assets/app.js', '/assets/favicon.svg', '/favicon.ico', '/api/docs']) {
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

describe('hardening found in review', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('parallel guesses cannot outrun the lock-out', async () => {
    const guesses = Array.from({ length: 12 }, (_, i) =>
      request(t.http).post('/api/auth/login').send({ username: 'liaison', password: i === 11 ? 'Tianping-Demo-2026' : `wrong-${i}-password` }),
    );
    const results = await Promise.all(guesses);
    // Requests run in order per name: the 5th failure locks, everything after is refused.
    expect(results.map((r) => r.status)).toEqual([401, 401, 401, 401, 423, 423, 423, 423, 423, 423, 423, 423]);
  });

  it('answers a CSRF token of odd bytes with 403, not 500', async () => {
    const staff = await loginAs(t, 'staff');
    const odd = '中'.repeat(staff.csrfToken.length);
    const res = await staff.post('/api/pool/evaluators/1/status').set('x-csrf-token', encodeURIComponent(odd)).send({ status: 'suspended', reason: '测试' });
    expect(res.status).toBe(403);
    const { default: supertest } = await import('supertest');
    const form = supertest.agent(t.http);
    const page = await form.get('/login');
    const anon = await form.post('/login').type('form').send({ _csrf: 'é'.repeat(43), username: 'x', password: 'y' });
    expect(page.status).toBe(200);
    expect(anon.status).toBe(403);
  });

  it('refuses impossible dates in the audit filter with a message', async () => {
    const auditor = await loginAs(t, 'auditor');
    for (const from of ['2026-13-01', '0000-00-00', '2026-02-30']) {
      const res = await auditor.get('/api/audit').query({ from });
      expect(res.status).toBe(422);
      expect(res.body.fields.from).toBe('开始日期不是有效的日期');
    }
  });

  it('sends a form posted after the idle timeout to the log-in page, not to a CSRF error', async () => {
    const staff = await loginAs(t, 'staff');
    t.clock.advance(16 * 60_000);
    const res = await staff.post('/logout').type('form').send({ _csrf: staff.csrfToken });
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it('a signed-in user opening / lands on their home page', async () => {
    const auditor = await loginAs(t, 'auditor');
    const res = await auditor.get('/');
    expect(res.headers.location).toBe('/audit');
  });

  it('finds a member by full ID number through a POST, keeping the number out of URLs', async () => {
    const staff = await loginAs(t, 'staff');
    const { Evaluator } = await import('../../src/pool/evaluator.entity');
    const evaluator = await t.dataSource.getRepository(Evaluator).findOneByOrFail({ id: 6 });
    const res = await staff.post('/pool/lookup').type('form').send({ _csrf: staff.csrfToken, number: evaluator.idNumber.toLowerCase() });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/pool/evaluators/6');
    const none = await staff.post('/pool/lookup').type('form').send({ _csrf: staff.csrfToken, number: '13900000000' });
    expect(none.status).toBe(404);
    expect(none.text).toContain('人才库中没有这个身份证号或手机号码');
    const api = await staff.post('/api/pool/evaluators/lookup').set('x-csrf-token', staff.csrfToken).send({ number: evaluator.phone });
    expect(api.body.id).toBe(6);
    expect((await staff.get('/api/pool/evaluators').query({ q: evaluator.idNumber })).body.total).toBe(0);
  });

  it('shows nothing for an unknown notice key, even "constructor"', async () => {
    const staff = await loginAs(t, 'staff');
    const res = await staff.get('/pool/evaluators/1?notice=constructor');
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('[object');
  });

  it('reserves "pj" + digits for evaluators, so approvals never collide', async () => {
    const security = await loginAs(t, 'security');
    const res = await security.post('/api/accounts').set('x-csrf-token', security.csrfToken).send({ username: 'pj00021', displayName: '冒名', role: 'staff' });
    expect(res.status).toBe(422);
    expect(res.body.fields.username).toContain('留给评价员');
  });

  it('counts wrong current passwords on the change form toward the lock-out', async () => {
    const agent = await loginAs(t, 'admin');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await agent.post('/api/auth/password').set('x-csrf-token', agent.csrfToken)
        .send({ currentPassword: `guess-number-${i}`, newPassword: '一个足够长的新密码Abc2026', confirmPassword: '一个足够长的新密码Abc2026' });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([422, 422, 422, 422, 423]);
    expect((await agent.get('/api/auth/me')).status).toBe(401);
  });

  it('keeps Chinese upload file names, and refuses a sheet that declares a million rows', async () => {
    const staff = await loginAs(t, 'staff');
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('名单');
    sheet.addRow(['姓名']);
    sheet.getCell('A1000000').value = 'x';
    const res = await staff.post('/api/pool/import').set('x-csrf-token', staff.csrfToken)
      .attach('file', Buffer.from(await workbook.xlsx.writeBuffer()), '评价员名单.xlsx');
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('一次最多导入20000行');
    const csv = '姓名,性别,出生年份,手机号码,身份证号,工作单位,人员类别,专业领域,所在区县\n张三,男,1970,13900000000,1,单位,律师,教育,梁园区\n';
    const ok = await staff.post('/api/pool/import').set('x-csrf-token', staff.csrfToken).attach('file', Buffer.from(csv), '评价员名单.csv');
    expect(ok.body.fileName).toBe('评价员名单.csv');
    const broken = await staff.post('/api/pool/import').set('x-csrf-token', staff.csrfToken).attach('file', Buffer.from('PK\x03\x04garbage'), 'x.xlsx');
    expect(broken.status).toBe(422);
    expect(broken.body.message).toBe('无法读取该文件：文件已损坏，或不是有效的 Excel（.xlsx）文件');
  });
});

describe('limits and headers for the open doors', () => {
  let t: TestApp;
  let staff: Awaited<ReturnType<typeof loginAs>>;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_LOGIN: '6', RATE_LIMIT_PUBLIC: '3' } });
    staff = await loginAs(t, 'staff'); // the first of the six log-ins this minute
  });
  afterAll(() => t.close());

  it('slows down log-in attempts and public lookups from one address, with a Chinese message and Retry-After', async () => {
    const attempts = [];
    for (let i = 0; i < 6; i++) attempts.push(await request(t.http).post('/api/auth/login').send({ username: `nobody${i}`, password: 'wrong-password-1' }));
    expect(attempts.slice(0, 5).map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    expect(attempts[5].status).toBe(429);
    expect(attempts[5].body.message).toBe('操作过于频繁，请稍候一分钟再试。');
    expect(Number(attempts[5].headers['retry-after'])).toBeGreaterThan(0);
    const lookups = [];
    for (let i = 0; i < 4; i++) lookups.push((await request(t.http).get('/api/verify/documents/0000000000000000')).status);
    expect(lookups).toEqual([404, 404, 404, 429]);
  });

  it('keeps signed-in pages out of every cache', async () => {
    const page = await staff.get('/cases');
    expect(page.headers['cache-control']).toBe('private, no-store');
  });
});
