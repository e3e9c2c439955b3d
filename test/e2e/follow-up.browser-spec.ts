import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { Measure } from '../../src/evaluations/evaluation.entities';
import { AxeFinding, launchChromium, newPage, screenshot, serve, seriousAccessibilityFindings, signIn } from '../support/browser';
import { createTestApp, TestApp } from '../support/create-test-app';
import { officeNoonOf } from '../support/office-time';
import { resolutionForLiaison } from '../support/resolution';

jest.setTimeout(120_000);

describe('follow-up in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let task: Measure;

  beforeAll(async () => {
    t = await createTestApp({ evaluatorScale: 0.25 });
    ({ task } = await resolutionForLiaison(t));
    // Four days before the deadline (at noon, so the day does not change while the spec runs): yellow on the office's list.
    t.clock.advance(officeNoonOf(task.dueAt! - 4 * 86_400_000) - t.clock.now().getTime());
    base = await serve(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function signedIn(username: string, width = 1280): Promise<Page> {
    const page = await newPage(browser, { width, height: 900 });
    await signIn(page, base, username);
    return page;
  }

  it('a liaison reports completion with a file; the office sees the warning change and confirms', async () => {
    const findings: Record<string, AxeFinding[]> = {};
    const visit = async (page: Page, name: string) => {
      await screenshot(page, name);
      findings[name] = await seriousAccessibilityFindings(page);
    };

    const office = await signedIn('staff');
    await office.goto(`${base}/follow-up`);
    expect(await office.$eval(`tr:has(a[href="/follow-up/tasks/${task.id}"])`, (tr) => tr.className)).toBe('level-yellow');
    await visit(office, 'followup-01-office-list');

    const liaison = await signedIn('liaison', 390);
    expect(liaison.url()).toBe(`${base}/department`);
    await visit(liaison, 'followup-02-portal-phone');
    await Promise.all([liaison.waitForNavigation(), liaison.click(`a[href="/department/tasks/${task.id}"]`)]);
    await liaison.type('#f-text', '已完成实测，出具复核意见并书面答复信访人。');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tianping-upload-')), '答复意见书.pdf');
    fs.writeFileSync(file, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300, 32), Buffer.from('\n%%EOF\n')]));
    await ((await liaison.$('#f-file')) as ElementHandle<HTMLInputElement>).uploadFile(file);
    await Promise.all([liaison.waitForNavigation(), liaison.click('button[formaction$="/completion"]')]);
    expect(await liaison.$eval('main', (m) => m.textContent ?? '')).toContain('已报告办结，等待联席办确认');
    expect(await liaison.$eval('.timeline', (m) => m.textContent ?? '')).toContain('答复意见书.pdf');
    await visit(liaison, 'followup-03-reported-phone');

    // A day later the task turns red on the office's list, still awaiting confirmation.
    t.clock.advance(86_400_000);
    const later = await signedIn('staff');
    await later.goto(`${base}/follow-up`);
    expect(await later.$eval(`tr:has(a[href="/follow-up/tasks/${task.id}"])`, (tr) => tr.className)).toBe('level-red');
    await later.goto(`${base}/display`);
    expect(await later.$eval('.wall-red', (s) => s.textContent ?? '')).toContain('3天');
    await visit(later, 'followup-04-wall-display');
    await later.goto(`${base}/follow-up/tasks/${task.id}`);
    await Promise.all([later.waitForNavigation(), later.click(`form[action$="/confirmed"] button`)]);
    expect(await later.$eval('main', (m) => m.textContent ?? '')).toContain('已确认办结');
    await later.goto(`${base}/follow-up?level=none`);
    expect(await later.$eval(`tr:has(a[href="/follow-up/tasks/${task.id}"])`, (tr) => tr.className)).toBe('level-none');

    await later.goto(`${base}/dashboard`);
    // Chart.js (served from the installed package) drew the charts from the page's data.
    await later.waitForFunction(() => !!(window as unknown as { Chart?: { getChart(el: unknown): unknown } }).Chart?.getChart(document.getElementById('chart-status')), { timeout: 10_000 });
    await visit(later, 'followup-05-dashboard');
    // On a phone the charts stack in the column: nothing scrolls sideways.
    const phone = await signedIn('staff', 375);
    await phone.goto(`${base}/dashboard`);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await later.goto(`${base}/cases/${task.caseId}/closing`);
    await visit(later, 'followup-06-closing');

    expect(findings).toEqual(Object.fromEntries(Object.keys(findings).map((k) => [k, []])));
  });
});
