import { createTestApp, loginAs, TestApp } from '../support/create-test-app';

/** Every page each role can open renders in full: a title, a way back, no template leftovers. */
const PAGES: Record<string, string[]> = {
  staff: ['/cases', '/cases/new', '/cases/1', '/cases/1/draws/new', '/draws/1', '/draws/1/verify', '/draws/fairness', '/outbox', '/cases/2', '/draws/2', '/home', '/pool', '/pool?category=lawyer&page=1', '/pool/evaluators/1', '/pool/applications', '/pool/applications?status=approved', '/pool/applications/1', '/pool/import', '/account/password'],
  admin: ['/pool', '/pool/evaluators/2'],
  auditor: ['/cases', '/cases/1', '/draws/1', '/draws/1/verify', '/audit', '/audit?action=demo.seeded', '/pool', '/pool/evaluators/1'],
  security: ['/accounts', '/accounts/new', '/accounts/1'],
  pingjia: ['/me', '/home', '/inbox'],
  liaison: ['/home'],
};

describe('pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ evaluatorScale: 0.25 });
    // Case 1 gets a finished draw; case 2 a commitment waiting for its witness.
    const staff = await loginAs(t, 'staff');
    const send = (path: string, body: object) => staff.post(path).set('x-csrf-token', staff.csrfToken).send(body);
    const first = await send('/api/cases/1/draws', {});
    await send(`/api/draws/${first.body.id}/witness`, { witnessName: '刘监督', witnessRole: '纪检监督员', witnessInput: '1 2 3 4 5 6' });
    await send('/api/cases/2/draws', {});
  });
  afterAll(() => t.close());

  for (const [username, pages] of Object.entries(PAGES)) {
    it(`${username}: every page renders completely`, async () => {
      const agent = await loginAs(t, username);
      const problems: string[] = [];
      for (const path of pages) {
        const res = await agent.get(path);
        if (res.status !== 200) problems.push(`${path}: ${res.status}`);
        // NaN as a word of its own: the page's random CSRF token (base64url) holds the letters "NaN" about once in 7,000.
        else if (/\[object Object\]|>undefined<|(?<![\w-])NaN(?![\w-])/.test(res.text)) problems.push(`${path}: template leftovers`);
        else if (!/<h1>/.test(res.text) || !/lang="zh-CN"/.test(res.text)) problems.push(`${path}: no heading`);
      }
      expect(problems).toEqual([]);
    });
  }

  it('public pages render for a visitor', async () => {
    const { default: request } = await import('supertest');
    for (const path of ['/login', '/apply', '/apply/done', '/verify']) {
      const res = await request(t.http).get(path);
      expect(res.status).toBe(200);
      expect(res.text).not.toMatch(/\[object Object\]/);
    }
  });
});
