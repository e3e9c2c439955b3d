import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'puppeteer-core';
import request from 'supertest';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo';
import { AxeFinding, launchChromium, screenshot, seriousAccessibilityFindings } from '../support/browser';
import { createTestApp, TestApp } from '../support/create-test-app';
import { applicationBody } from '../support/factories';

jest.setTimeout(120_000);

describe('office staff in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const findings: Record<string, AxeFinding[]> = {};

  beforeAll(async () => {
    t = await createTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function visit(page: Page, name: string) {
    await screenshot(page, name);
    // axe is injected as a script; the page's own CSP would (rightly) refuse it.
    findings[name] = await seriousAccessibilityFindings(page);
  }

  it('logs in, approves an application, and finds the new evaluator in the pool', async () => {
    await request(t.http).post('/api/applications').send(applicationBody({ name: '浏览器测试员', employer: '商丘浏览器律师事务所' })).expect(201);
    const page = await browser.newPage();
    // Two cores shared with the e2e specs: give navigations room rather than fail on load.
    page.setDefaultNavigationTimeout(60_000);
    page.setDefaultTimeout(60_000);
    await page.setBypassCSP(true);
    page.on('dialog', (dialog) => void dialog.accept());
    try {
      await page.setViewport({ width: 1280, height: 900 });
      await page.goto(`${base}/login`, { waitUntil: 'load' });
      await visit(page, '01-login');
      await page.type('#f-username', 'staff');
      await page.type('#f-password', DEMO_PASSWORD);
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      expect(page.url()).toBe(`${base}/pool`);
      await visit(page, '02-pool');

      await page.goto(`${base}/pool/applications`, { waitUntil: 'load' });
      await visit(page, '03-applications');
      const reviewLink = await page.$$eval('a.button.small', (links) => links.find((a) => a.textContent?.includes('浏览器测试员'))?.getAttribute('href'));
      expect(reviewLink).toMatch(/^\/pool\/applications\/\d+$/);
      await page.goto(`${base}${reviewLink}`, { waitUntil: 'load' });
      await visit(page, '04-application');
      await Promise.all([page.waitForNavigation(), page.click('form[action$="/approve"] button')]);
      const approvedText = await page.$eval('main', (m) => m.textContent ?? '');
      expect(approvedText).toContain('已批准入库');
      expect(approvedText).toMatch(/pj\d{5}/);
      await visit(page, '05-approved');

      await page.goto(`${base}/pool`, { waitUntil: 'load' });
      await page.type('#q', '浏览器测试员');
      await Promise.all([page.waitForNavigation(), page.click('.filters button[type="submit"]')]);
      const names = await page.$$eval('td[data-label="姓名"] a', (links) => links.map((a) => a.textContent));
      expect(names).toEqual(['浏览器测试员']);
      await Promise.all([page.waitForNavigation(), page.click('td[data-label="姓名"] a')]);
      expect(await page.$eval('h1', (h) => h.textContent)).toContain('浏览器测试员');
      await visit(page, '06-evaluator');

      // The same list on a phone.
      await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
      await page.goto(`${base}/pool`, { waitUntil: 'load' });
      await visit(page, '07-pool-phone');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
    } finally {
      await page.close();
    }
  });

  it('the public application form works on a phone without a mouse', async () => {
    const page = await browser.newPage();
    // Two cores shared with the e2e specs: give navigations room rather than fail on load.
    page.setDefaultNavigationTimeout(60_000);
    page.setDefaultTimeout(60_000);
    await page.setBypassCSP(true);
    try {
      await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
      await page.goto(`${base}/apply`, { waitUntil: 'load' });
      await page.focus('#f-name');
      await page.keyboard.type('键盘用户');
      await page.keyboard.press('Enter');
      await page.waitForNavigation();
      // Submitted incomplete: the form comes back with an error summary that has the focus.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('form-error');
      expect(await page.$eval('#f-name', (i) => (i as HTMLInputElement).value)).toBe('键盘用户');
      await visit(page, '08-apply-errors-phone');
    } finally {
      await page.close();
    }
  });

  it('has no serious or critical accessibility violations on the pages it visited', () => {
    const bad = Object.entries(findings).filter(([, list]) => list.length > 0);
    expect(Object.keys(findings).length).toBeGreaterThanOrEqual(8);
    expect(Object.fromEntries(bad)).toEqual({});
  });
});
