import request from 'supertest';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { Application } from '../../src/pool/application.entity';
import { Evaluator } from '../../src/pool/evaluator.entity';
import { anonymousForm, createTestApp, loginAs, TestApp } from '../support/create-test-app';
import { applicationBody, validIdNumber } from '../support/factories';

describe('the evaluator talent pool', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('points a number typed into the name search to the look-up made for it', async () => {
    const staff = await loginAs(t, 'staff');
    expect((await staff.get('/pool?q=13900000101')).text).toContain('按身份证号或手机号查找，请用上方的');
    expect((await staff.get('/pool?q=某某某')).text).not.toContain('按身份证号或手机号查找，请用上方的');
  });

  it('application → approval → the new evaluator logs in, replaces the password and sees their page', async () => {
    const body = applicationBody({ name: '申请人甲' });
    const submitted = await request(t.http).post('/api/applications').send(body);
    expect(submitted.status).toBe(201);

    const staff = await loginAs(t, 'staff');
    const pending = await staff.get('/api/pool/applications?status=pending');
    const mine = pending.body.items.find((a: { id: number }) => a.id === submitted.body.id);
    expect(mine).toMatchObject({ name: '申请人甲', idNumber: body.idNumber.slice(0, 3) + '***********' + body.idNumber.slice(-4), phone: '139****2345' });

    // The reviewer who is to call the applicant may see the full number, once asked, on the record.
    const phone = await staff.post(`/pool/applications/${submitted.body.id}/phone`).type('form').send({ _csrf: staff.csrfToken });
    expect([phone.status, phone.headers['cache-control'], phone.text.includes(`<strong class="revealed">${body.phone}</strong>`)]).toEqual([200, 'no-store', true]);
    expect(await t.dataSource.getRepository(AuditEntry).countBy({ action: 'application.phone_revealed', entityId: String(submitted.body.id) })).toBe(1);
    expect((await staff.get(`/pool/applications/${submitted.body.id}`)).text).not.toContain(body.phone);

    const approved = await staff.post(`/api/pool/applications/${submitted.body.id}/approve`).set('x-csrf-token', staff.csrfToken);
    expect(approved.status).toBe(200);
    expect((await staff.post(`/pool/applications/${submitted.body.id}/phone`).type('form').send({ _csrf: staff.csrfToken })).status).toBe(409);
    expect(approved.headers['cache-control']).toBe('no-store');
    expect(approved.body.initialPassword).toHaveLength(16);
    expect(approved.body.username).toMatch(/^pj\d{5}$/);

    // Approving twice is refused.
    expect((await staff.post(`/api/pool/applications/${submitted.body.id}/approve`).set('x-csrf-token', staff.csrfToken)).status).toBe(409);

    const evaluator = await loginAs(t, approved.body.username, approved.body.initialPassword);
    expect((await evaluator.get('/api/me')).status).toBe(403);
    const changed = await evaluator.post('/api/auth/password').set('x-csrf-token', evaluator.csrfToken)
      .send({ currentPassword: approved.body.initialPassword, newPassword: '我的新密码是Pingjia2026', confirmPassword: '我的新密码是Pingjia2026' });
    expect(changed.status).toBe(200);
    const me = await evaluator.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.evaluator).toMatchObject({ name: '申请人甲', status: 'active', category: 'lawyer' });
    expect(me.body.history[0]).toMatchObject({ toStatus: 'active' });

    const found = await staff.get('/api/pool/evaluators').query({ q: '申请人甲' });
    expect(found.body.total).toBe(1);
  });

  it('refuses a second application with the same ID number, with a clear message', async () => {
    const body = applicationBody();
    expect((await request(t.http).post('/api/applications').send(body)).status).toBe(201);
    const again = await request(t.http).post('/api/applications').send({ ...body, name: '另一人' });
    expect(again.status).toBe(409);
    expect(again.body.fields.idNumber).toContain('已提交过申请');
    expect(await t.dataSource.getRepository(Application).countBy({ idNumber: body.idNumber })).toBe(1);
  });

  it('checks the ID number’s check digit and its agreement with birth year and gender', async () => {
    const good = validIdNumber(1970, 'male');
    const badDigit = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const res1 = await request(t.http).post('/api/applications').send(applicationBody({ idNumber: badDigit }));
    expect(res1.status).toBe(422);
    expect(res1.body.fields.idNumber).toBe('身份证号校验位错误');
    const res2 = await request(t.http).post('/api/applications').send(applicationBody({ idNumber: validIdNumber(1970, 'male'), birthYear: 1971 }));
    expect(res2.body.fields.idNumber).toBe('出生年份与身份证号不符');
    const res3 = await request(t.http).post('/api/applications').send(applicationBody({ idNumber: validIdNumber(1970, 'female') }));
    expect(res3.body.fields.idNumber).toBe('性别与身份证号不符');
  });

  it('takes applicants who are 18 this year, counted when the form arrives', async () => {
    const adult = new Date().getFullYear() - 18;
    const minor = await request(t.http).post('/api/applications').send(applicationBody({ idNumber: validIdNumber(adult + 1, 'male'), birthYear: adult + 1 }));
    expect(minor.status).toBe(422);
    expect(minor.body.fields.birthYear).toBe(`出生年份不能晚于${adult}年（须年满18周岁）`);
    const eighteen = await request(t.http).post('/api/applications').send(applicationBody({ name: '刚满十八', idNumber: validIdNumber(adult, 'male'), birthYear: adult }));
    expect(eighteen.status).toBe(201);
  });

  it('the public form shows every bad field again in Chinese, keeping what was typed', async () => {
    const { agent, token } = await anonymousForm(t, '/apply');
    const res = await agent.post('/apply').type('form').send({ _csrf: token, name: '张三', phone: '12345', birthYear: 'abc', idNumber: '123' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('value="张三"');
    expect(res.text).toContain('手机号码应为11位');
    expect(res.text).toContain('身份证号应为18位');
    expect(res.text).toContain('无偿服务承诺必须勾选');
    expect(res.text).toContain('专业领域至少选一项');
    expect(res.text).toContain('出生年份请填写4位数字，例如 1960');
    expect(res.text).toContain('请选择性别');
    expect(await t.dataSource.getRepository(Application).countBy({ name: '张三' })).toBe(0);
    // As written on paper: an ID number in groups with a small x, a year with 年 — and one area ticked stays ticked.
    const id = validIdNumber(1957, 'male');
    const spaced = `${id.slice(0, 6)} ${id.slice(6, 14)} ${id.slice(14).toLowerCase()}`;
    const written = await request(t.http).post('/api/applications').send(applicationBody({ name: '李四', birthYear: '1957年', idNumber: spaced }));
    expect([written.status, written.body.fields]).toEqual([201, undefined]);
    const one = await agent.post('/apply').type('form').send({ _csrf: token, name: '王五', expertise: '教育' });
    expect(one.text).toMatch(/value="教育" checked|value="教育"[^>]*checked/);
  });

  it('the public form accepts a complete application and says what happens next', async () => {
    const { agent, token } = await anonymousForm(t, '/apply');
    const body = applicationBody({ name: '网页申请人' });
    const res = await agent.post('/apply').type('form').send({ ...body, consent: 'on', expertise: body.expertise, _csrf: token });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/apply/done');
    expect((await agent.get('/apply/done')).text).toContain('联席办审核后将电话通知您');
  });

  it('rejecting needs a reason, and the reason is kept', async () => {
    const submitted = await request(t.http).post('/api/applications').send(applicationBody({ name: '被驳回者' }));
    const staff = await loginAs(t, 'staff');
    const noReason = await staff.post(`/api/pool/applications/${submitted.body.id}/reject`).set('x-csrf-token', staff.csrfToken).send({ reason: '' });
    expect(noReason.status).toBe(422);
    const rejected = await staff.post(`/api/pool/applications/${submitted.body.id}/reject`).set('x-csrf-token', staff.csrfToken).send({ reason: '执业证明不符' });
    expect(rejected.body).toMatchObject({ status: 'rejected', decisionReason: '执业证明不符' });
  });

  it('filters by category, expertise, district and status, and paginates', async () => {
    const staff = await loginAs(t, 'staff');
    const all = await staff.get('/api/pool/evaluators').query({ pageSize: 5, page: 2 });
    expect(all.body.items).toHaveLength(5);
    expect(all.body.total).toBeGreaterThan(15);
    const lawyers = await staff.get('/api/pool/evaluators').query({ category: 'lawyer', pageSize: 100 });
    expect(lawyers.body.items.length).toBeGreaterThan(0);
    expect(lawyers.body.items.every((e: { category: string }) => e.category === 'lawyer')).toBe(true);
    const area = await staff.get('/api/pool/evaluators').query({ expertise: '征地拆迁', pageSize: 100 });
    expect(area.body.items.every((e: { expertise: string[] }) => e.expertise.includes('征地拆迁'))).toBe(true);
    const bad = await staff.get('/api/pool/evaluators').query({ category: 'judge' });
    expect(bad.status).toBe(422);
    const page = await staff.get('/pool').query({ category: 'lawyer' });
    expect(page.status).toBe(200);
    expect(page.text).toContain('共 ' + lawyers.body.total + ' 条');
    expect(page.text).toContain('<td data-label="类别">律师</td>');
    expect(page.text).not.toContain('[object Object]');
  });

  it('status changes need a reason, follow the transition table, and are kept as history', async () => {
    const staff = await loginAs(t, 'staff');
    const id = 3;
    const noReason = await staff.post(`/api/pool/evaluators/${id}/status`).set('x-csrf-token', staff.csrfToken).send({ status: 'suspended', reason: ' ' });
    expect(noReason.status).toBe(422);
    expect((await staff.post(`/api/pool/evaluators/${id}/status`).set('x-csrf-token', staff.csrfToken).send({ status: 'retired', reason: '本人申请退出' })).status).toBe(200);
    const illegal = await staff.post(`/api/pool/evaluators/${id}/status`).set('x-csrf-token', staff.csrfToken).send({ status: 'suspended', reason: '试一试' });
    expect(illegal.status).toBe(422);
    expect(illegal.body.message).toBe('不允许从“退出”变更为“暂停”');
    const detail = await staff.get(`/api/pool/evaluators/${id}`);
    expect(detail.body.history[0]).toMatchObject({ fromStatus: 'active', toStatus: 'retired', reason: '本人申请退出', actorName: '王干事' });
  });

  it('masks ID numbers and phones everywhere; an administrator may see one in full, and that is audited', async () => {
    const evaluator = await t.dataSource.getRepository(Evaluator).findOneByOrFail({ id: 4 });
    const staff = await loginAs(t, 'staff');
    const page = await staff.get('/pool/evaluators/4');
    expect(page.text).not.toContain(evaluator.idNumber);
    expect(page.text).not.toContain(evaluator.phone);
    expect(page.text).toContain(evaluator.idNumber.slice(0, 3) + '***********' + evaluator.idNumber.slice(-4));
    expect((await staff.get('/api/pool/evaluators?pageSize=100')).text).not.toContain(evaluator.idNumber);

    const admin = await loginAs(t, 'admin');
    const revealed = await admin.post('/api/pool/evaluators/4/reveal').set('x-csrf-token', admin.csrfToken);
    expect(revealed.body).toEqual({ idNumber: evaluator.idNumber, phone: evaluator.phone });
    const entry = await t.dataSource.getRepository(AuditEntry).findOneByOrFail({ action: 'evaluator.revealed', entityId: '4' });
    expect(entry).toMatchObject({ actorRole: 'admin', actorName: '李主任（admin）' });
    expect(entry.atText).toMatch(/\+08:00$/);
  });

  it('evaluators declare conflicts on their own page; the office sees them', async () => {
    const evaluator = await loginAs(t, 'pingjia');
    const missingDepartment = await evaluator.post('/api/me/conflicts').set('x-csrf-token', evaluator.csrfToken).send({ kind: 'relative', description: '配偶在住建局' });
    expect(missingDepartment.status).toBe(422);
    expect(missingDepartment.body.fields.departmentId).toBe('请选择相关单位');
    const declared = await evaluator.post('/api/me/conflicts').set('x-csrf-token', evaluator.csrfToken).send({ kind: 'relative', departmentId: 3, description: '配偶在住建局工作' });
    expect(declared.status).toBe(201);
    const staff = await loginAs(t, 'staff');
    const detail = await staff.get(`/api/pool/evaluators/${declared.body.evaluatorId}`);
    expect(detail.body.conflicts[0]).toMatchObject({ kind: 'relative', departmentName: '市住房和城乡建设局', description: '配偶在住建局工作', withdrawnAt: null });
    expect((await evaluator.post(`/api/me/conflicts/${declared.body.id}/withdraw`).set('x-csrf-token', evaluator.csrfToken)).status).toBe(200);
    const after = await staff.get(`/api/pool/evaluators/${declared.body.evaluatorId}`);
    expect(after.body.conflicts[0].withdrawnAt).not.toBeNull();
  });

  it('records every change in the audit log with before and after; the auditor can filter it', async () => {
    const auditor = await loginAs(t, 'auditor');
    const res = await auditor.get('/api/audit').query({ action: 'evaluator.status_changed' });
    expect(res.status).toBe(200);
    expect(res.body.entries[0]).toMatchObject({ actorRole: 'staff', before: { status: 'active' }, after: { status: 'retired', reason: '本人申请退出' } });
    const page = await auditor.get('/audit').query({ action: 'application.approved' });
    expect(page.text).toContain('批准入库申请');
  });

  it('gives an imported member a log-in with a one-time password, once', async () => {
    const staff = await loginAs(t, 'staff');
    const issued = await staff.post('/api/pool/evaluators/7/account').set('x-csrf-token', staff.csrfToken);
    expect(issued.status).toBe(200);
    expect(issued.body.username).toBe('pj00007');
    expect((await staff.post('/api/pool/evaluators/7/account').set('x-csrf-token', staff.csrfToken)).status).toBe(409);
    const member = await loginAs(t, 'pj00007', issued.body.initialPassword);
    expect((await member.get('/api/auth/me')).body.user).toMatchObject({ role: 'evaluator', evaluatorId: 7, mustChangePassword: true });
  });
});
