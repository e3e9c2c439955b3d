import { createHash } from 'node:crypto';
import type { Browser, Page } from 'puppeteer-core';
import { AxeFinding, launchChromium, newPage, screenshot, serve, seriousAccessibilityFindings, signIn } from '../support/browser';
import { createTestApp, TestApp } from '../support/create-test-app';
import { resolutionForLiaison } from '../support/resolution';

jest.setTimeout(120_000);

/** A PDF fetched with the page's own session, as its bytes' SHA-256 (or the HTTP status when refused). */
async function fetchPdf(page: Page, href: string): Promise<{ status: number; sha256: string | null }> {
  const { status, bytes } = await page.evaluate(async (url) => {
    const res = await fetch(url, { credentials: 'same-origin' });
    return { status: res.status, bytes: res.ok ? Array.from(new Uint8Array(await res.arrayBuffer())) : [] };
  }, href);
  return { status, sha256: status === 200 ? createHash('sha256').update(Buffer.from(bytes)).digest('hex') : null };
}

describe('documents in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let caseId: number;

  beforeAll(async () => {
    t = await createTestApp({ evaluatorScale: 0.25 });
    // The liaison works for the department the panel found at fault, which receives the letter.
    ({ caseId } = await resolutionForLiaison(t));
    base = await serve(t);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });


  it('the office issues the documents, the liaison gets only their letter, /verify confirms its hash', async () => {
    const findings: Record<string, AxeFinding[]> = {};
    const visit = async (page: Page, name: string) => {
      await screenshot(page, name);
      findings[name] = await seriousAccessibilityFindings(page);
    };

    const office = await newPage(browser);
    await signIn(office, base, 'staff');
    await office.goto(`${base}/cases/${caseId}/documents`);
    await visit(office, 'documents-01-before');
    await Promise.all([office.waitForNavigation(), office.click(`form[action$="/documents"] button[type="submit"]`)]);
    const issuedText = await office.$eval('main', (m) => m.textContent ?? '');
    expect(issuedText).toContain('文书已出具');
    for (const kind of ['评价决议书', '交办函', '评价结果告知书', '事实确认书']) expect(issuedText).toContain(kind);
    expect(issuedText).toMatch(/PDF（\d+ KB）/);
    await visit(office, 'documents-02-issued');
    const rows = await office.$$eval('tbody tr', (trs) => trs.map((tr) => ({ kind: tr.cells[0].textContent ?? '', href: tr.querySelector('a')?.getAttribute('href') ?? '', code: tr.cells[4].textContent ?? '' })));
    const letter = rows.find((r) => r.kind === '交办函')!;
    const decision = rows.find((r) => r.kind === '评价决议书')!;

    const liaison = await newPage(browser);
    await signIn(liaison, base, 'liaison');
    await liaison.goto(`${base}/department/documents`);
    expect(await liaison.$$eval('tbody tr', (trs) => trs.length)).toBe(1);
    await visit(liaison, 'documents-03-liaison');
    const downloaded = await fetchPdf(liaison, letter.href);
    expect(downloaded.status).toBe(200);
    expect((await fetchPdf(liaison, decision.href)).status).toBe(404);

    const visitor = await newPage(browser);
    await visitor.goto(`${base}/verify`);
    await visitor.type('#code', letter.code.trim());
    await Promise.all([visitor.waitForNavigation(), visitor.keyboard.press('Enter')]);
    expect(visitor.url()).toContain('/verify/documents?code=');
    const verified = await visitor.$eval('main', (m) => m.textContent ?? '');
    expect(verified).toContain('现行有效版本');
    expect(verified).toContain(downloaded.sha256!);
    await visit(visitor, 'documents-04-verify');

    expect(findings).toEqual(Object.fromEntries(Object.keys(findings).map((k) => [k, []])));
  });
});
