import type { AddressInfo } from 'node:net';
import type { Browser } from 'puppeteer-core';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo';
import { AxeFinding, launchChromium, screenshot, seriousAccessibilityFindings } from '../support/browser';
import { createTestApp, TestApp } from '../support/create-test-app';

jest.setTimeout(120_000);

describe('a draw in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp({ evaluatorScale: 0.25 });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the office draws a panel with a witness input and sees the verification page', async () => {
    const page = await browser.newPage();
    // Two cores shared with the e2e specs: give navigations room rather than fail on load.
    page.setDefaultNavigationTimeout(60_000);
    page.setDefaultTimeout(60_000);
    await page.setBypassCSP(true);
    page.on('dialog', (dialog) => void dialog.accept());
    const findings: Record<string, AxeFinding[]> = {};
    const visit = async (name: string) => {
      await screenshot(page, name);
      findings[name] = await seriousAccessibilityFindings(page);
    };
    try {
      await page.setViewport({ width: 1280, height: 900 });
      await page.goto(`${base}/login`);
      await page.type('#f-username', 'staff');
      await page.type('#f-password', DEMO_PASSWORD);
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);

      await page.goto(`${base}/cases/1`);
      await visit('draw-01-case');
      await Promise.all([page.waitForNavigation(), page.click('a[href="/cases/1/draws/new"]')]);
      await visit('draw-02-rules');
      await Promise.all([page.waitForNavigation(), page.click('form[action="/cases/1/draws"] button[type="submit"]')]);
      expect(await page.$eval('main', (m) => m.textContent)).toContain('承诺值');
      await visit('draw-03-committed');

      await page.type('#f-witnessName', '刘监督');
      await page.type('#f-witnessRole', '纪检监督员');
      await page.type('#f-witnessInput', '4 2 6 1 3 5');
      await Promise.all([page.waitForNavigation(), page.click('form[action$="/witness"] button[type="submit"]')]);
      const result = await page.$eval('main', (m) => m.textContent ?? '');
      expect(result).toContain('密钥（已公开）');
      expect(await page.$$eval('td[data-label="席位"]', (cells) => cells.length)).toBe(5);
      await visit('draw-04-result');

      await Promise.all([page.waitForNavigation(), page.click('a[href$="/verify"]')]);
      expect(await page.$eval('main', (m) => m.textContent)).toContain('一致。');
      await visit('draw-05-verified');

      await page.goto(`${base}/cases/1`);
      expect(await page.$eval('#panel', (p) => p.textContent)).toContain('待答复');
      await visit('draw-06-case-with-panel');
    } finally {
      await page.close();
    }
    expect(Object.fromEntries(Object.entries(findings).filter(([, list]) => list.length > 0))).toEqual({});
  });
});
