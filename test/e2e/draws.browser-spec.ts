import type { Browser } from 'puppeteer-core';
import { AxeFinding, launchChromium, newPage, screenshot, serve, seriousAccessibilityFindings, signIn } from '../support/browser';
import { createTestApp, TestApp } from '../support/create-test-app';

jest.setTimeout(120_000);

describe('a draw in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    t = await createTestApp({ evaluatorScale: 0.25 });
    base = await serve(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('the office draws a panel with a witness input and sees the verification page', async () => {
    const page = await newPage(browser);
    const findings: Record<string, AxeFinding[]> = {};
    const visit = async (name: string) => {
      await screenshot(page, name);
      findings[name] = await seriousAccessibilityFindings(page);
    };
    try {
      await signIn(page, base, 'staff');

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
