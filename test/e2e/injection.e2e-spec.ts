import request from 'supertest';
import { Agent, createTestApp, loginAs, TestApp } from '../support/create-test-app';
import { applicationBody, caseBody, validIdNumber } from '../support/factories';
import { INJECTION_CORPUS } from '../support/corpus';
import { resolutionForLiaison } from '../support/resolution';

/** What must never appear raw in a page: the corpus's markup, unescaped. */
const LIVE_MARKUP = [/<script>alert\(1\)/, /<img src=x onerror/, /' onmouseover='alert/];

/**
 * The hostile strings typed into the text fields people actually fill — the public
 * application, case registration, a department's report, a return visit, a review link — come
 * back as inert text on every page that shows them, stored as typed (or refused with a 4xx),
 * and never cause a 500. (The same corpus in documents: documents.e2e-spec.ts.)
 */
describe('hostile text in forms', () => {
  let t: TestApp;
  let staff: Agent;
  let liaison: Agent;
  let taskId: number;

  beforeAll(async () => {
    t = await createTestApp({ evaluatorScale: 0.25 });
    taskId = (await resolutionForLiaison(t)).task.id;
    staff = await loginAs(t, 'staff');
    liaison = await loginAs(t, 'liaison');
  });
  afterAll(() => t.close());

  const inert = (html: string) => LIVE_MARKUP.every((re) => !re.test(html));

  it('case registration: stored as typed, shown escaped on the list and the case page', async () => {
    let registered = 0;
    for (const [i, text] of INJECTION_CORPUS.entries()) {
      const res = await staff.post('/api/cases').set('x-csrf-token', staff.csrfToken).send({ ...caseBody(), title: `案件${i}${text}`.slice(0, 100), demandSummary: text.slice(0, 2000) });
      expect(res.status).toBeLessThan(500);
      if (res.status !== 201) {
        expect(res.status).toBe(422);
        continue;
      }
      registered++;
      const page = await staff.get(`/cases/${res.body.id}`);
      expect(page.status).toBe(200);
      expect(inert(page.text)).toBe(true);
      const stored = await t.dataSource.query(`SELECT demandSummary FROM petition_case WHERE id = ?`, [res.body.id]);
      if (!/[\ud800-\udfff]/.test(text) && text.trim()) expect(stored[0].demandSummary).toBe(text.slice(0, 2000).trim());
    }
    // Most of the corpus is acceptable text and must have gone in, or the pages proved nothing.
    expect(registered).toBeGreaterThanOrEqual(INJECTION_CORPUS.length - 3);
    const list = await staff.get('/cases?page=1');
    expect(list.status).toBe(200);
    expect(inert(list.text)).toBe(true);
    expect(list.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('a department report and the office’s follow-up pages', async () => {
    for (const text of INJECTION_CORPUS) {
      const res = await liaison.post(`/api/department/tasks/${taskId}/progress`).set('x-csrf-token', liaison.csrfToken).send({ text: text.slice(0, 2000) });
      expect(res.status).toBeLessThan(500);
    }
    // A department name that tries to close the dashboard's JSON data block.
    await t.dataSource.query(`UPDATE department SET name = name || '</script><script>alert(1)</script>' WHERE id = (SELECT departmentId FROM measure WHERE id = ?)`, [taskId]);
    for (const url of [`/follow-up/tasks/${taskId}`, '/follow-up', '/dashboard', '/display']) {
      const page = await staff.get(url);
      expect(page.status).toBe(200);
      expect(inert(page.text)).toBe(true);
    }
    const portal = await liaison.get(`/department/tasks/${taskId}`);
    expect(inert(portal.text)).toBe(true);
    expect(portal.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('the public application form, then the office’s review pages', async () => {
    let accepted = 0;
    for (const [i, text] of INJECTION_CORPUS.entries()) {
      const birthYear = 1950 + (i % 40);
      const res = await request(t.http).post('/api/applications').send(applicationBody({ idNumber: validIdNumber(birthYear, 'male'), birthYear, phone: `139370${String(10000 + i)}`, employer: text.slice(0, 100), bio: text.slice(0, 1000), title: text.slice(0, 50) }));
      expect(res.status).toBeLessThan(500);
      if (res.status === 201) accepted++;
      // A NUL character cannot be stored as text (PostgreSQL refuses it): refused field by field on either database.
      if (text.includes('\u0000')) expect([res.status, Object.values(res.body.fields).join()]).toEqual([422, expect.stringContaining('空字符')]);
    }
    expect(accepted).toBeGreaterThanOrEqual(INJECTION_CORPUS.filter((text) => !text.includes('\u0000')).length - 3);
    for (const url of ['/pool/applications', '/pool/applications?status=pending']) {
      const page = await staff.get(url);
      expect(page.status).toBe(200);
      expect(inert(page.text)).toBe(true);
    }
  });

  it('a return visit and a review link on the closing page', async () => {
    const kase = (await t.dataSource.query(`SELECT caseId FROM measure WHERE id = ?`, [taskId]))[0].caseId;
    const later = await staff.post('/api/cases').set('x-csrf-token', staff.csrfToken).send(caseBody());
    const link = await staff.post(`/api/cases/${kase}/links`).set('x-csrf-token', staff.csrfToken).send({ caseNumber: later.body.caseNumber, kind: 'review', note: INJECTION_CORPUS[1] });
    expect(link.status).toBe(201);
    const visit = await staff.post(`/api/cases/${kase}/return-visit`).set('x-csrf-token', staff.csrfToken).send({ satisfaction: 'dissatisfied', stoppedPetitioning: false, outcome: 'unsettled', note: INJECTION_CORPUS.slice(0, 4).join(' ') });
    expect(visit.status).toBe(201);
    const page = await staff.get(`/cases/${kase}/closing`);
    expect(page.status).toBe(200);
    expect(inert(page.text)).toBe(true);
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('the audit log shows what was typed, escaped', async () => {
    const auditor = await loginAs(t, 'auditor');
    const page = await auditor.get('/audit?page=1');
    expect(page.status).toBe(200);
    expect(inert(page.text)).toBe(true);
    expect((await auditor.get('/api/audit/chain')).body.ok).toBe(true);
  });
});
