import request from 'supertest';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { UserAccount } from '../../src/auth/user-account.entity';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo';
import { anonymousForm, createTestApp, loginAs, TestApp } from '../support/create-test-app';
import { openDirectConnection } from '../../bench/direct-connection';

describe('log-in, sessions and CSRF', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  const apiLogin = (username: string, password: string) => request(t.http).post('/api/auth/login').send({ username, password });

  it('locks an account for 30 minutes after 5 wrong passwords, and answers an unknown name exactly the same way', async () => {
    const known: { status: number; message: string }[] = [];
    const unknown: { status: number; message: string }[] = [];
    for (let i = 0; i < 6; i++) {
      const a = await apiLogin('staff', 'wrong-password-123');
      const b = await apiLogin('nobody-here', 'wrong-password-123');
      known.push({ status: a.status, message: a.body.message });
      unknown.push({ status: b.status, message: b.body.message });
    }
    expect(known).toEqual(unknown);
    expect(known.slice(0, 4).every((r) => r.status === 401 && r.message === '用户名或密码错误。')).toBe(true);
    expect(known[4]).toEqual({ status: 423, message: '连续登录失败次数过多，账户已锁定，请30分钟后再试。' });
    // Even the right password is refused while locked.
    expect((await apiLogin('staff', DEMO_PASSWORD)).status).toBe(423);
    t.clock.advance(29 * 60_000);
    expect((await apiLogin('staff', DEMO_PASSWORD)).status).toBe(423);
    t.clock.advance(60_000);
    expect((await apiLogin('staff', DEMO_PASSWORD)).status).toBe(200);
    const failures = await t.dataSource.getRepository(AuditEntry).countBy({ action: 'auth.login_failed' });
    expect(failures).toBe(10);
  });

  it('ends a session after 15 idle minutes, but not while it is in use', async () => {
    const staff = await loginAs(t, 'staff');
    for (let i = 0; i < 4; i++) {
      t.clock.advance(10 * 60_000);
      expect((await staff.get('/api/auth/me')).status).toBe(200);
    }
    t.clock.advance(15 * 60_000);
    const res = await staff.get('/api/auth/me');
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('登录已超时，请重新登录。');
  });

  it('sends a form posted after the session ended to the log-in page, saying so and leading back to the form', async () => {
    const liaison = await loginAs(t, 'liaison');
    t.clock.advance(16 * 60_000);
    const form = { _csrf: liaison.csrfToken, text: '已完成实测' };
    const posted = await liaison.post('/department/tasks/1/progress').set('host', 'tianping.local').set('referer', 'http://tianping.local/department/tasks/1').type('form').send(form);
    expect([posted.status, posted.headers.location]).toEqual([303, `/login?notice=expired&next=${encodeURIComponent('/department/tasks/1')}`]);
    // The session's cookie is gone by now (the autosave's answer took it): the same, not "page expired".
    const again = await liaison.post('/department/tasks/1/progress').set('host', 'tianping.local').set('referer', 'http://tianping.local/department/tasks/1').type('form').send(form);
    expect([again.status, again.headers.location]).toEqual([303, `/login?notice=expired&next=${encodeURIComponent('/department/tasks/1')}`]);
    const page = await liaison.get(posted.headers.location);
    expect(page.text).toContain('登录已超时，刚才提交的内容未能保存。');
    expect(page.text).toContain('value="/department/tasks/1"');
    // Browsers send no Referer (our pages say no-referrer), and an upload's body is not read yet:
    // the page is found from the form's address, and the reason is still given.
    const upload = await liaison.post('/department/tasks/1/progress').field('_csrf', 'x').field('text', '已完成实测');
    expect(upload.headers.location).toBe(`/login?notice=expired&next=${encodeURIComponent('/department/tasks/1')}`);
  });

  it('leads a form address opened directly back to its page; an unknown address stays a 404', async () => {
    const liaison = await loginAs(t, 'liaison');
    expect((await liaison.get('/department/tasks/1/progress')).headers.location).toBe('/department/tasks/1');
    const evaluator = await loginAs(t, 'pingjia');
    expect((await evaluator.get('/inbox/invitations/8')).headers.location).toBe('/inbox');
    expect((await liaison.get('/department/tasks/1/nothing-here')).status).toBe(404);
  });

  it('ends even a busy session 12 hours after log-in', async () => {
    const staff = await loginAs(t, 'staff');
    for (let hour = 0; hour < 12; hour++) {
      for (let q = 0; q < 5; q++) {
        t.clock.advance(12 * 60_000);
        const status = (await staff.get('/api/auth/me')).status;
        if (hour === 11 && q === 4) expect(status).toBe(401);
        else expect(status).toBe(200);
      }
    }
  });

  /** Logs in and returns the raw session cookie, to replay by hand. */
  const sessionCookie = async (username: string) => {
    const res = await apiLogin(username, DEMO_PASSWORD);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('tp_sid='))!;
    return { cookie: cookie.split(';')[0], csrfToken: res.body.csrfToken as string };
  };

  it('log-out invalidates the session on the server, not just the cookie', async () => {
    const { cookie, csrfToken } = await sessionCookie('staff');
    expect((await request(t.http).get('/api/pool/evaluators').set('cookie', cookie)).status).toBe(200);
    expect((await request(t.http).post('/api/auth/logout').set('cookie', cookie).set('x-csrf-token', csrfToken)).status).toBe(200);
    // Replaying the old cookie by hand is refused.
    expect((await request(t.http).get('/api/pool/evaluators').set('cookie', cookie)).status).toBe(401);
  });

  it('sessions are in the database and survive a restart', async () => {
    const { cookie } = await sessionCookie('staff');
    t = await t.restart();
    const after = await request(t.http).get('/api/auth/me').set('cookie', cookie);
    expect(after.status).toBe(200);
    expect(after.body.user.username).toBe('staff');
  });

  it('takes effect at once when another process ends a session or deactivates an account', async () => {
    // The service keeps sessions in memory between requests; a write from elsewhere (the CLI,
    // an operator's database shell) must still be seen on the very next request.
    const staff = await sessionCookie('staff');
    const auditor = await sessionCookie('auditor');
    expect((await request(t.http).get('/api/auth/me').set('cookie', staff.cookie)).status).toBe(200);
    expect((await request(t.http).get('/api/auth/me').set('cookie', auditor.cookie)).status).toBe(200);
    const other = await openDirectConnection(t);
    try {
      await other.run(`DELETE FROM session WHERE userId = (SELECT id FROM user_account WHERE username = 'staff')`);
      await other.run(`UPDATE user_account SET active = FALSE WHERE username = 'auditor'`);
    } finally {
      await other.close();
    }
    expect((await request(t.http).get('/api/auth/me').set('cookie', staff.cookie)).status).toBe(401);
    expect((await request(t.http).get('/api/auth/me').set('cookie', auditor.cookie)).status).toBe(401);
  });

  it('refuses a state-changing API call without the CSRF header', async () => {
    const staff = await loginAs(t, 'staff');
    const res = await staff.post('/api/pool/evaluators/1/status').send({ status: 'suspended', reason: '测试原因' });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('csrf');
    const ok = await staff.post('/api/pool/evaluators/1/status').set('x-csrf-token', staff.csrfToken).send({ status: 'suspended', reason: '测试原因' });
    expect(ok.status).toBe(200);
  });

  it('refuses a form post without the token, or with another session’s token', async () => {
    const { agent, token } = await anonymousForm(t);
    const missing = await agent.post('/login').type('form').send({ username: 'staff', password: DEMO_PASSWORD });
    expect(missing.status).toBe(403);
    expect(missing.text).toContain('页面已过期或来源无法验证');
    const other = await anonymousForm(t);
    const foreign = await agent.post('/login').type('form').send({ _csrf: other.token, username: 'staff', password: DEMO_PASSWORD });
    expect(foreign.status).toBe(403);
    const good = await agent.post('/login').type('form').send({ _csrf: token, username: 'staff', password: DEMO_PASSWORD });
    expect(good.status).toBe(303);
    expect(good.headers.location).toBe('/pool');
  });

  it('sets HttpOnly, SameSite session cookies', async () => {
    const res = await apiLogin('staff', DEMO_PASSWORD);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('tp_sid='));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('shows the log-in form again with the message after a wrong password', async () => {
    const { agent, token } = await anonymousForm(t);
    const res = await agent.post('/login').type('form').send({ _csrf: token, username: 'staff', password: 'not-the-password' });
    expect(res.status).toBe(401);
    expect(res.text).toContain('用户名或密码错误。');
    expect(res.text).toContain('value="staff"');
    expect(res.text).not.toContain('not-the-password');
  });

  it('forces a new password after an initial one, and checks its length', async () => {
    const security = await loginAs(t, 'security');
    const created = await security.post('/api/accounts').set('x-csrf-token', security.csrfToken).send({ username: 'newstaff', displayName: '新同事', role: 'staff' });
    expect(created.status).toBe(201);
    const agent = await loginAs(t, 'newstaff', created.body.initialPassword);
    expect((await agent.get('/api/pool/evaluators')).status).toBe(403);
    const page = await agent.get('/pool');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/account/password');
    const short = await agent.post('/api/auth/password').set('x-csrf-token', agent.csrfToken)
      .send({ currentPassword: created.body.initialPassword, newPassword: 'short-pw', confirmPassword: 'short-pw' });
    expect(short.status).toBe(422);
    expect(short.body.fields.newPassword).toBe('密码至少12个字符');
    const simple = await agent.post('/api/auth/password').set('x-csrf-token', agent.csrfToken)
      .send({ currentPassword: created.body.initialPassword, newPassword: '商丘市联席办2026新密码', confirmPassword: '商丘市联席办2026新密码' });
    expect(simple.status).toBe(422);
    expect(simple.body.fields.newPassword).toBe('密码须包含大写字母、小写字母、数字、符号中的至少三类');
    const changed = await agent.post('/api/auth/password').set('x-csrf-token', agent.csrfToken)
      .send({ currentPassword: created.body.initialPassword, newPassword: '商丘市联席办2026Xin', confirmPassword: '商丘市联席办2026Xin' });
    expect(changed.status).toBe(200);
    expect((await agent.get('/api/pool/evaluators')).status).toBe(200);
  });

  it('asks administrators who switched on the second factor for a fresh code at every log-in', async () => {
    const { generateSync } = await import('otplib');
    const admin = await loginAs(t, 'admin');
    const setup = await admin.post('/api/auth/two-factor/setup').set('x-csrf-token', admin.csrfToken);
    expect(setup.status).toBe(201);
    expect(setup.body.uri).toMatch(/^otpauth:\/\/totp\//);
    const code = (offset = 0) => generateSync({ secret: setup.body.secret, epoch: Math.floor(t.clock.now().getTime() / 1000) + offset });
    expect((await admin.post('/api/auth/two-factor/enable').set('x-csrf-token', admin.csrfToken).send({ code: '000000' === code() ? '111111' : '000000' })).status).toBe(422);
    expect((await admin.post('/api/auth/two-factor/enable').set('x-csrf-token', admin.csrfToken).send({ code: code() })).body.enabled).toBe(true);
    t.clock.advance(60_000); // a new time step: the enabling code is spent

    const withoutCode = await apiLogin('admin', DEMO_PASSWORD);
    expect(withoutCode.status).toBe(401);
    expect(withoutCode.body.fields.totp).toContain('动态验证码');
    const wrong = await request(t.http).post('/api/auth/login').send({ username: 'admin', password: DEMO_PASSWORD, totp: code(-600) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.fields.totp).toBe('动态验证码不正确或已使用过');
    const fresh = code();
    expect((await request(t.http).post('/api/auth/login').send({ username: 'admin', password: DEMO_PASSWORD, totp: fresh })).status).toBe(200);
    expect((await request(t.http).post('/api/auth/login').send({ username: 'admin', password: DEMO_PASSWORD, totp: fresh })).status).toBe(401); // no replay
    // A wrong password with a right code says nothing about the code.
    expect((await request(t.http).post('/api/auth/login').send({ username: 'admin', password: 'Wrong-Password-1', totp: code(30) })).body.message).toBe('用户名或密码错误。');
    const form = await anonymousForm(t, '/login');
    const page = await form.agent.post('/login').type('form').send({ _csrf: form.token, username: 'admin', password: DEMO_PASSWORD });
    expect(page.text).toContain('id="f-totp"');

    // The phone is lost: the security administrator clears two-factor (audited); the password alone signs in again.
    const security = await loginAs(t, 'security');
    const account = await t.dataSource.getRepository(UserAccount).findOneByOrFail({ username: 'admin' });
    expect((await security.get(`/accounts/${account.id}`)).text).toContain('双重验证</dt><dd>已开启');
    const cleared = await security.post(`/accounts/${account.id}/reset-two-factor`).type('form').send({ _csrf: security.csrfToken });
    expect(cleared.headers.location).toBe(`/accounts/${account.id}?notice=totp_reset`);
    expect(await t.dataSource.getRepository(AuditEntry).countBy({ action: 'account.totp_reset', entityId: String(account.id) })).toBe(1);
    expect((await apiLogin('admin', DEMO_PASSWORD)).status).toBe(200);
  });

  it('keeps a two-factor set-up under way through a mistyped code, with the same key', async () => {
    const auditor = await loginAs(t, 'auditor');
    const setup = await auditor.post('/account/two-factor/setup').type('form').send({ _csrf: auditor.csrfToken });
    const secret = /<code>([A-Z2-7]+)<\/code>/.exec(setup.text)?.[1];
    expect(secret).toBeTruthy();
    const wrong = await auditor.post('/account/two-factor/enable').type('form').send({ _csrf: auditor.csrfToken, code: '000000' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain(`<code>${secret}</code>`);
    expect(wrong.text).toContain('<p class="field-error" id="e-code">');
    expect((await auditor.get('/account/two-factor')).text).toContain(`<code>${secret}</code>`);
  });

  it('bars the password a reset replaced, like a changed one', async () => {
    const security = await loginAs(t, 'security');
    const account = await t.dataSource.getRepository(UserAccount).findOneByOrFail({ username: 'staff' });
    const reset = await security.post(`/api/accounts/${account.id}/reset-password`).set('x-csrf-token', security.csrfToken);
    expect(reset.body.initialPassword).toHaveLength(16);
    const agent = await loginAs(t, 'staff', reset.body.initialPassword);
    const back = await agent.post('/api/auth/password').set('x-csrf-token', agent.csrfToken).send({ currentPassword: reset.body.initialPassword, newPassword: DEMO_PASSWORD, confirmPassword: DEMO_PASSWORD });
    expect(back.body.fields?.newPassword).toBe('不能使用最近5次用过的密码');
  });

  it('refuses the last five passwords again, and forces a change after 90 days', async () => {
    const agent = await loginAs(t, 'staff');
    const change = (from: string, to: string) => agent.post('/api/auth/password').set('x-csrf-token', agent.csrfToken).send({ currentPassword: from, newPassword: to, confirmPassword: to });
    const passwords = [DEMO_PASSWORD, 'Rotation-One-2026', 'Rotation-Two-2026', 'Rotation-Three-2026', 'Rotation-Four-2026', 'Rotation-Five-2026'];
    expect((await change(DEMO_PASSWORD, DEMO_PASSWORD)).body.fields?.newPassword).toBe('不能使用最近5次用过的密码');
    for (let i = 1; i < passwords.length; i++) expect((await change(passwords[i - 1], passwords[i])).status).toBe(200);
    // Now the current one and the four before it are barred; the one before those may return.
    expect((await change('Rotation-Five-2026', 'Rotation-Two-2026')).body.fields?.newPassword).toBe('不能使用最近5次用过的密码');
    expect((await change('Rotation-Five-2026', DEMO_PASSWORD)).status).toBe(200);

    t.clock.advance(91 * 86_400_000);
    const late = await loginAs(t, 'auditor');
    const page = await late.get('/audit');
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/account/password');
    expect((await late.get('/account/password')).text).toContain('密码已使用超过90天');
    expect((await late.get('/api/audit/chain')).status).toBe(403);
  });
});
