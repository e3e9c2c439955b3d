import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import puppeteer, { Browser, Page } from 'puppeteer-core';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo';
import type { TestApp } from './create-test-app';

export const ARTIFACTS_DIR = path.resolve(__dirname, '../../test-artifacts/browser');

/** Debian's Chromium, headless, with the flags that keep it off this machine's closed network. */
export async function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
    protocolTimeout: 30_000,
  });
}

/** Puts the test app on a free local port for the browser; returns its base URL. */
export async function serve(t: TestApp): Promise<string> {
  await t.app.listen(0, '127.0.0.1');
  return `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
}

/**
 * A page in a fresh browser context (its own cookies): generous timeouts, since two cores are
 * shared with the e2e specs; confirmation dialogs accepted; our CSP bypassed so axe can run.
 */
export async function newPage(browser: Browser, viewport: { width: number; height: number; isMobile?: boolean; hasTouch?: boolean } = { width: 1280, height: 900 }): Promise<Page> {
  const page = await (await browser.createBrowserContext()).newPage();
  page.setDefaultNavigationTimeout(60_000);
  page.setDefaultTimeout(60_000);
  await page.setBypassCSP(true);
  page.on('dialog', (dialog) => void dialog.accept());
  await page.setViewport(viewport);
  return page;
}

/** Signs in through the log-in form, as a person would. */
export async function signIn(page: Page, base: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${base}/login`);
  await page.type('#f-username', username);
  await page.type('#f-password', password);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file as `${string}.png`, fullPage: true });
  return file;
}

export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** Runs axe-core in the page (from the installed package) and returns serious and critical findings. */
export async function seriousAccessibilityFindings(page: Page): Promise<AxeFinding[]> {
  const axePath = require.resolve('axe-core/axe.min.js');
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
}
