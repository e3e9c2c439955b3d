import { createTestApp, loginAs, TestApp } from '../support/create-test-app';

/** Every page each role can open renders in full: a title, a way back, no template leftovers. */
const PAGES: Record<string, string[]> = {
  staff: ['/home', '/pool', '/pool?category=lawyer&page=1', '/pool/evaluators/1', '/pool/applications', '/pool/applications?status=approved', '/pool/applications/1', '/pool/import', '/account/password'],
  admin: ['/pool', '/pool/evaluators/2'],
  auditor: ['/audit', '/audit?action=demo.seeded', '/pool', '/pool/evaluators/1'],
  security: ['/accounts', '/accounts/new', '/accounts/1'],
  pingjia: ['/me', '/home'],
  liaison: ['/home'],
};

describe('pages', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  for (const [username, pages] of Object.entries(PAGES)) {
    it(`${username}: every page renders completely`, async () => {
      const agent = await loginAs(t, username);
      const problems: string[] = [];
      for (const path of pages) {
        const res = await agent.get(path);
        if (res.status !== 200) problems.push(`${path}: ${res.status}`);
        else if (/\[object Object\]|>undefined<|NaN/.test(res.text)) problems.push(`${path}: template leftovers`);
        else if (!/<h1>/.test(res.text) || !/lang="zh-CN"/.test(res.text)) problems.push(`${path}: no heading`);
      }
      expect(problems).toEqual([]);
    });
  }

  it('public pages render for a visitor', async () => {
    const { default: request } = await import('supertest');
    for (const path of ['/login', '/apply', '/apply/done']) {
      const res = await request(t.http).get(path);
      expect(res.status).toBe(200);
      expect(res.text).not.toMatch(/\[object Object\]/);
    }
  });
});
