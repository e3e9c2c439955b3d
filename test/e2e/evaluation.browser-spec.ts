import { UserAccount } from '../../src/auth/user-account.entity';
import type { AddressInfo } from 'node:net';
import type { Browser, HTTPRequest, HTTPResponse, Page } from 'puppeteer-core';
import { DEMO_PASSWORD } from '../../src/demo/seed-demo';
import { PanelMember } from '../../src/draws/panel.entity';
import { AxeFinding, launchChromium, screenshot, seriousAccessibilityFindings } from '../support/browser';
import { Agent, createTestApp, evaluatorAgent, loginAs, TestApp } from '../support/create-test-app';
import { caseBody, meetingTime } from '../support/factories';

jest.setTimeout(240_000);
const post = (agent: Agent, path: string, body: object = {}) => agent.post(path).set('x-csrf-token', agent.csrfToken).send(body);

describe('five evaluators score a case and vote, in real browsers', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let meetingId: number;
  let chairId: number;
  const members: { id: number; page: Page }[] = [];
  const findings: Record<string, AxeFinding[]> = {};

  beforeAll(async () => {
    t = await createTestApp({ evaluatorScale: 0.25 });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    // The office's part through the API: case, draw, acceptances, meeting opened.
    const staff = await loginAs(t, 'staff');
    const caseId = (await post(staff, '/api/cases', caseBody())).body.id;
    const draw = await post(staff, `/api/cases/${caseId}/draws`, {});
    await post(staff, `/api/draws/${draw.body.id}/witness`, { witnessName: '刘监督', witnessRole: '纪检监督员', witnessInput: '5 5 2 1 6 3' });
    const seated = await t.dataSource.getRepository(PanelMember).find({ where: { drawId: draw.body.id, state: 'invited' }, order: { seat: 'ASC' } });
    for (const m of seated) await post(await evaluatorAgent(t, m.evaluatorId), `/api/inbox/invitations/${m.id}`, { answer: 'accept', declaration: true });
    const meeting = await post(staff, `/api/cases/${caseId}/meeting`, { scheduledAt: meetingTime(), place: '市信访局三楼会议室' });
    meetingId = meeting.body.id;
    chairId = meeting.body.chairEvaluatorId;
    await post(staff, `/api/meetings/${meetingId}/open`);

    browser = await launchChromium();
    for (const [i, m] of seated.entries()) {
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      page.setDefaultNavigationTimeout(60_000);
      page.setDefaultTimeout(60_000);
      await page.setBypassCSP(true);
      page.on('dialog', (dialog) => void dialog.accept());
      // The last member uses a phone.
      if (i === seated.length - 1) await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
      else await page.setViewport({ width: 1200, height: 900 });
      await page.goto(`${base}/login`);
      // evaluatorAgent made an account where the member had none; a seeded one (pingjia) keeps its name.
      const account = await t.dataSource.getRepository(UserAccount).findOneByOrFail({ evaluatorId: m.evaluatorId });
      await page.type('#f-username', account.username);
      await page.type('#f-password', DEMO_PASSWORD);
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      members.push({ id: m.evaluatorId, page });
    }
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  async function fillAndSubmit(page: Page, step: string, member: number) {
    await page.goto(`${base}/meetings/${meetingId}/steps/${step}`);
    // Pick an answer in every group: members alternate between the first and second option.
    const groups = await page.$$eval('input[type=radio]', (inputs) => [...new Set(inputs.map((i) => (i as HTMLInputElement).name))]);
    for (const name of groups) {
      const options = await page.$$(`input[type=radio][name="${name}"]`);
      await options[Math.min(member % 2, options.length - 1) + (name.includes('[values]') ? 3 : 0)].click();
    }
    for (const area of await page.$$('textarea[name^="answers"]')) await area.type(`成员${member}的意见`);
    await Promise.all([page.waitForNavigation(), page.click('form.sheet-form button.primary')]);
    expect(await page.$eval('main', (m) => m.textContent)).toContain('评分已提交');
  }

  it('autosaves on a slow line without losing what is typed between saves', async () => {
    const page = members[0].page;
    await page.goto(`${base}/meetings/${meetingId}/steps/facts`);
    // Each save takes 1.5 s to reach the server: typing resumes while a save is still under way.
    const slow = (request: HTTPRequest) => {
      if (request.isInterceptResolutionHandled()) return;
      if (request.method() === 'POST' && request.url().endsWith('/sheet')) setTimeout(() => void request.continue(), 1_500);
      else void request.continue();
    };
    await page.setRequestInterception(true);
    page.on('request', slow);
    const answers: number[] = [];
    const answered = (response: HTTPResponse) => void (response.url().endsWith('/sheet') && answers.push(response.status()));
    page.on('response', answered);
    const parts = ['事实基本清楚，', '但证据不足以证明', '实际种植面积，', '应补充测量。'];
    for (const part of parts) {
      await page.type('#f-opinion', part);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
    }
    await page.waitForFunction(() => /已自动保存/.test(document.querySelector('.autosave-status')?.textContent ?? ''), { timeout: 30_000 });
    const status = await page.$eval('.autosave-status', (s) => s.textContent);
    page.off('request', slow);
    page.off('response', answered);
    await page.setRequestInterception(false);
    await page.goto(`${base}/meetings/${meetingId}/steps/facts`);
    // No save met another's version (a false "saved elsewhere"), and all that was typed is stored.
    expect({ status, answers: [...new Set(answers)], stored: await page.$eval('#f-opinion', (a) => (a as HTMLTextAreaElement).value) }).toEqual({
      status: expect.stringMatching(/^已自动保存（第\d+版）$/),
      answers: [200],
      stored: parts.join(''),
    });
  });

  it('keeps what was typed when the session ends, to put back after signing in again', async () => {
    const { page, id } = members[1];
    await page.goto(`${base}/meetings/${meetingId}/steps/facts`);
    // The session ends (here: its cookie goes) before the autosave sends what is typed.
    await page.type('#f-opinion', '登录超时前写下的意见');
    const context = page.browserContext();
    await context.deleteCookie(...(await context.cookies()));
    await page.waitForFunction(() => /暂存/.test(document.querySelector('.autosave-status')?.textContent ?? ''), { timeout: 30_000 });
    const account = await t.dataSource.getRepository(UserAccount).findOneByOrFail({ evaluatorId: id });
    await page.goto(`${base}/login`);
    await page.type('#f-username', account.username);
    await page.type('#f-password', DEMO_PASSWORD);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    await page.goto(`${base}/meetings/${meetingId}/steps/facts`);
    expect(await page.$eval('#f-opinion', (a) => (a as HTMLTextAreaElement).value)).toBe('');
    const [restore] = await page.$$('xpath/.//button[contains(., "恢复未保存的内容")]');
    await restore.click();
    await page.waitForFunction(() => /已自动保存/.test(document.querySelector('.autosave-status')?.textContent ?? ''), { timeout: 30_000 });
    await page.goto(`${base}/meetings/${meetingId}/steps/facts`);
    expect(await page.$eval('#f-opinion', (a) => (a as HTMLTextAreaElement).value)).toBe('登录超时前写下的意见');
    // Saved on the server, the tab's copy is not offered again.
    expect(await page.$$('xpath/.//button[contains(., "恢复未保存的内容")]')).toHaveLength(0);
  });

  it('scores the four steps in order, each member seeing the others only after submitting', async () => {
    const steps = ['facts', 'procedure', 'law', 'responsibility'];
    for (const step of steps) {
      for (const [i, m] of members.entries()) {
        await fillAndSubmit(m.page, step, i);
        if (step === 'facts' && i === members.length - 1) {
          await screenshot(m.page, 'eval-01-sheet-phone');
          findings['sheet-phone'] = await seriousAccessibilityFindings(m.page);
        }
      }
      const chair = members.find((m) => m.id === chairId)!;
      await chair.page.goto(`${base}/meetings/${meetingId}/steps/${step}`);
      await Promise.all([chair.page.waitForNavigation(), chair.page.click(`form[action$="/steps/${step}/close"] button`)]);
    }
    const chair = members.find((m) => m.id === chairId)!;
    expect(chair.page.url()).toContain('/resolution');
    await screenshot(chair.page, 'eval-02-draft');
    findings.draft = await seriousAccessibilityFindings(chair.page);
    await Promise.all([chair.page.waitForNavigation(), chair.page.click(`form[action$="/resolution/voting"] button`)]);
  });

  it('votes item by item and adopts the resolution', async () => {
    for (const [i, m] of members.entries()) {
      await m.page.goto(`${base}/meetings/${meetingId}/resolution`);
      const agrees = await m.page.$$('input[type=radio][value="agree"]');
      for (const radio of agrees) await radio.click();
      if (i === 0) await m.page.type('textarea[name$="[dissent]"]', '对期限持保留意见');
      if (i === 0) findings.vote = await seriousAccessibilityFindings(m.page);
      await Promise.all([m.page.waitForNavigation(), m.page.click('form[action$="/resolution/votes"] button.primary')]);
    }
    const last = members[members.length - 1].page;
    await last.goto(`${base}/meetings/${meetingId}/resolution`);
    const text = await last.$eval('main', (m) => m.textContent ?? '');
    expect(text).toContain('已通过');
    expect(text).toContain('对期限持保留意见');
    await screenshot(last, 'eval-03-resolution-phone');
    findings.resolution = await seriousAccessibilityFindings(last);
    expect(Object.fromEntries(Object.entries(findings).filter(([, list]) => list.length > 0))).toEqual({});
  });
});
