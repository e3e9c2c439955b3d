import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { UserAccount } from '../../src/auth/user-account.entity';
import { zhCN } from '../../src/common/i18n/zh-CN';
import { OutboxMessage } from '../../src/draws/notification.entity';
import { Measure } from '../../src/evaluations/evaluation.entities';
import { calendarOf, firstWorkingDay } from '../../src/followup/domain/working-days';
import { FollowUpScheduler } from '../../src/followup/follow-up-scheduler.service';
import { binary } from '../support/binary';
import { Agent, createTestApp, loginAs, TestApp } from '../support/create-test-app';
import { caseBody } from '../support/factories';
import { nextDayNineAm, officeNoonOf } from '../support/office-time';
import { adoptedResolution } from '../support/resolution';

const DAY = 86_400_000;
const post = (agent: Agent, url: string, body: object = {}) => agent.post(url).set('x-csrf-token', agent.csrfToken).send(body);



describe('follow-up of adopted measures', () => {
  let t: TestApp;
  let staff: Agent;
  let liaison: Agent;
  let caseId: number;
  let meetingId: number;
  let department: number;
  let otherDepartment: number;
  let solve: Measure;
  let explanation: Measure;

  beforeAll(async () => {
    t = await createTestApp({ evaluatorScale: 0.25 });
    ({ caseId, meetingId } = await adoptedResolution(t));
    const measures = await t.dataSource.getRepository(Measure).find({ where: { caseId }, order: { id: 'ASC' } });
    solve = measures.find((m) => m.kind === 'solve')!;
    explanation = measures.find((m) => m.kind === 'explanation')!;
    department = solve.departmentId!;
    otherDepartment = (await t.dataSource.query(`SELECT departmentId FROM case_department WHERE caseId = ? AND departmentId <> ?`, [caseId, department]))[0].departmentId;
    await t.dataSource.getRepository(UserAccount).update({ username: 'liaison' }, { departmentId: department });
    staff = await loginAs(t, 'staff');
    liaison = await loginAs(t, 'liaison');
    expect((await post(staff, `/api/meetings/${meetingId}/documents`)).status).toBe(201);
  });
  afterAll(() => t.close());

  /** Moves the app's clock forward to an instant (never back); sessions idle out, so sign in again. */
  async function advanceTo(instant: number): Promise<void> {
    const delta = instant - t.clock.now().getTime();
    if (delta < 0) throw new Error('the clock only moves forward');
    t.clock.advance(delta);
    staff = await loginAs(t, 'staff');
    liaison = await loginAs(t, 'liaison');
  }

  const levelOf = async (id: number) => (await staff.get('/api/follow-up/tasks')).body.find((x: { id: number }) => x.id === id)?.level;

  it('walks a task from blue to yellow to red as its deadline nears, in calendar days', async () => {
    expect((await t.dataSource.query(`SELECT status FROM petition_case WHERE id = ?`, [caseId]))[0].status).toBe('follow_up');
    expect(await levelOf(solve.id)).toBe('blue');
    await advanceTo(officeNoonOf(solve.dueAt! - 10 * DAY));
    expect(await levelOf(solve.id)).toBe('yellow');
    await advanceTo(officeNoonOf(solve.dueAt! - 4 * DAY));
    expect(await levelOf(solve.id)).toBe('yellow');
    await advanceTo(officeNoonOf(solve.dueAt! - 3 * DAY));
    expect(await levelOf(solve.id)).toBe('red');
    const mine = await liaison.get('/api/department/tasks');
    expect(mine.body.map((x: { id: number }) => x.id).sort()).toEqual([solve.id, explanation.id].sort());
    expect((await liaison.get('/department')).text).toContain('红色预警');
    // Three days before the deadline the department is reminded, once however often the clock ticks.
    const scheduler = t.app.get(FollowUpScheduler);
    await scheduler.tick();
    await scheduler.tick();
    const reminders = await t.dataSource.query(`SELECT COUNT(*) AS n FROM notice_sent WHERE key LIKE 'remind:task:${solve.id}:%:3'`);
    expect(reminders[0].n).toBe(1);
    expect((await liaison.get('/department')).text).toContain('办结期限提醒：还剩3天');
  });

  it('sends the daily red list once, whatever the ticks, restarts or instances', async () => {
    await advanceTo(nextDayNineAm(t.clock.now().getTime()));
    const leader = (await t.dataSource.query(`SELECT leaderPhone FROM department WHERE id = ?`, [department]))[0].leaderPhone;
    const before = await t.dataSource.getRepository(OutboxMessage).countBy({ recipient: leader });
    const scheduler = t.app.get(FollowUpScheduler);
    const [a, b] = await Promise.all([scheduler.tick(), scheduler.tick()]);
    const again = await scheduler.tick();
    expect([a.digest, b.digest, again.digest]).toEqual([true, true, false]); // the first two shared one round
    const sms = await t.dataSource.getRepository(OutboxMessage).find({ where: { recipient: leader }, order: { id: 'ASC' } });
    expect(sms).toHaveLength(before + 1);
    expect(sms[before].body).toContain('红色预警');
    expect(sms[before].body).toContain(`任务#${solve.id}`);
    // A second instance on the same database (or the same one restarted) does not send it again.
    const clockOffset = t.clock.now().getTime() - Date.now();
    const second = await t.restart();
    second.clock.advance(clockOffset);
    expect((await second.app.get(FollowUpScheduler).tick()).digest).toBe(false);
    expect(await second.dataSource.getRepository(OutboxMessage).countBy({ recipient: leader })).toBe(before + 1);
    t = second;
    staff = await loginAs(t, 'staff');
    liaison = await loginAs(t, 'liaison');
    const today = new Date(t.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
    expect((await t.dataSource.query(`SELECT COUNT(*) AS n FROM notice_sent WHERE key = ?`, [`digest:${today}`]))[0].n).toBe(1);
  });

  it('keeps other departments out: a liaison sees another department’s task as not found', async () => {
    await t.dataSource.getRepository(UserAccount).update({ username: 'liaison' }, { departmentId: otherDepartment });
    expect((await liaison.get(`/department/tasks/${solve.id}`)).status).toBe(404);
    expect((await liaison.get(`/api/department/tasks/${solve.id}`)).status).toBe(404);
    expect((await post(liaison, `/api/department/tasks/${solve.id}/completion`, { text: '已办结' })).status).toBe(404);
    expect((await liaison.get('/api/department/tasks')).body).toEqual([]);
    await t.dataSource.getRepository(UserAccount).update({ username: 'liaison' }, { departmentId: department });
  });

  it('takes an extension request to the office, and a completion with a file to confirmation; every step on the timeline', async () => {
    const until = new Date(explanation.dueAt! + 20 * DAY + 8 * 3_600_000).toISOString().slice(0, 10);
    // On the page, the problem stands beside its field.
    const pageRefusal = await liaison.post(`/department/tasks/${explanation.id}/extension`).type('form').send({ _csrf: liaison.csrfToken, until: '', reason: '等待批复' });
    expect([pageRefusal.status, pageRefusal.text.includes('<p class="field-error" id="e-until">')]).toEqual([422, true]);
    expect((await post(liaison, `/api/department/tasks/${explanation.id}/extension`, { until: '2020-01-01', reason: '等待批复' })).status).toBe(422);
    expect((await post(liaison, `/api/department/tasks/${explanation.id}/extension`, { until: '2099-02-31', reason: '等待批复' })).body.fields?.until).toBe('没有这一天，请重新选择日期');
    expect((await post(liaison, `/api/department/tasks/${explanation.id}/extension`, { until: '2099-12-31', reason: '等待批复' })).body.fields?.until).toBe('延期后的日期不能晚于原期限一年以后');
    expect((await post(liaison, `/api/department/tasks/${explanation.id}/extension`, { until, reason: '需等待省厅批复' })).status).toBe(201);
    expect((await post(liaison, `/api/department/tasks/${explanation.id}/extension`, { until, reason: '再次申请' })).status).toBe(409);
    expect((await post(staff, `/api/follow-up/tasks/${explanation.id}/decisions/extension_refused`, {})).status).toBe(422);
    expect((await post(staff, `/api/follow-up/tasks/${explanation.id}/decisions/extension_approved`)).status).toBe(201);
    const extended = await t.dataSource.getRepository(Measure).findOneByOrFail({ id: explanation.id });
    expect(new Date(extended.dueAt! + 8 * 3_600_000).toISOString().slice(0, 10)).toBe(until);
    expect(await levelOf(explanation.id)).toBe('blue');

    const file = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200, 32), Buffer.from('\n%%EOF\n')]);
    const reported = await liaison.post(`/api/department/tasks/${solve.id}/completion`).set('x-csrf-token', liaison.csrfToken).field('text', '已重新测绘并书面答复信访人').attach('file', file, '答复意见书.pdf');
    expect(reported.status).toBe(201);
    expect(reported.body.state).toBe('awaiting_confirmation');
    expect((await post(staff, `/api/follow-up/tasks/${solve.id}/decisions/returned`, { reason: '缺少答复送达回证' })).status).toBe(201);
    expect((await post(staff, `/api/follow-up/tasks/${solve.id}/decisions/confirmed`)).status).toBe(409);
    await post(liaison, `/api/department/tasks/${solve.id}/completion`, { text: '已补充送达回证' });
    expect((await post(staff, `/api/follow-up/tasks/${solve.id}/decisions/confirmed`)).status).toBe(201);
    expect(await levelOf(solve.id)).toBe('none');
    const detail = await staff.get(`/api/follow-up/tasks/${solve.id}`);
    expect(detail.body.events.map((e: { action: string }) => e.action)).toEqual(['completion', 'returned', 'completion', 'confirmed']);
    const attachment = detail.body.events[0].attachments[0];
    expect((await staff.get(`/follow-up/tasks/${solve.id}/attachments/${attachment.id}`)).status).toBe(200);
    await expect(t.dataSource.query(`DELETE FROM measure_event`)).rejects.toThrow(/append-only/);
  });

  it('closes the case by return visit and reports figures equal to the database', async () => {
    await post(liaison, `/api/department/tasks/${explanation.id}/completion`, { text: '已做好政策解释' });
    const early = await post(staff, `/api/cases/${caseId}/return-visit`, { satisfaction: 'satisfied', stoppedPetitioning: true, outcome: 'settled', note: '电话回访' });
    expect(early.status).toBe(409);
    expect(early.body.message).toContain('未办结');
    await post(staff, `/api/follow-up/tasks/${explanation.id}/decisions/confirmed`);
    expect((await post(staff, `/api/cases/${caseId}/return-visit`, { satisfaction: 'satisfied', stoppedPetitioning: 'yes', outcome: 'settled', note: '' })).status).toBe(422);
    const visit = await post(staff, `/api/cases/${caseId}/return-visit`, { satisfaction: 'satisfied', stoppedPetitioning: true, outcome: 'settled', note: '电话回访，信访人表示满意，承诺不再上访' });
    expect(visit.status).toBe(201);
    expect((await t.dataSource.query(`SELECT status FROM petition_case WHERE id = ?`, [caseId]))[0].status).toBe('closed');

    const month = new Date(t.clock.now().getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
    const figures = (await staff.get(`/api/dashboard?month=${month}`)).body;
    const [{ n: cases }] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM petition_case`);
    const [{ n: open }] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM measure WHERE status = 'open' AND departmentId IS NOT NULL`);
    expect(figures).toMatchObject({ casesTotal: cases, closed: 1, settled: 1, settleRate: 100 });
    expect(figures.tasks.open).toBe(open);
    const report = await post(staff, '/api/reports', { month });
    expect(report.status).toBe(201);
    const pdf = await staff.get(`/reports/${report.body.id}/pdf`).buffer(true).parse(binary);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tianping-report-')), 'report.pdf');
    fs.writeFileSync(file, pdf.body);
    const raw = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    // Column headings on one line each (they once broke into a character a line).
    expect(raw).toContain('平均天数');
    const text = raw.replace(/\s+/g, '');
    expect(text).toContain(`累计登记案件${cases}件`);
    expect(text).toContain('化解率100%');
    expect((await post(staff, '/api/reports', { month: '2026-13' })).status).toBe(422);
    for (const slip of ['2099-01', '1900-01']) expect((await post(staff, '/api/reports', { month: slip })).body.fields.month).toMatch(/^请选择2000-01至\d{4}-\d{2}之间的月份$/);
    // On the page, the refusal comes back beside the month; a month made twice marks its newest.
    const slipPage = await staff.post('/reports').type('form').send({ _csrf: staff.csrfToken, month: '2099-01' });
    expect([slipPage.status, slipPage.text.includes('<p class="field-error" id="e-month">请选择2000-01至')]).toEqual([422, true]);
    expect((await post(staff, '/api/reports', { month })).status).toBe(201);
    const listed = (await staff.get('/reports')).text;
    expect(listed.indexOf('（最新）')).toBeGreaterThan(-1);
    expect(listed.indexOf('（最新）')).toBeLessThan(listed.indexOf('（较早生成）'));
  });

  it('writes last month’s report by itself on the first working day, once', async () => {
    const local = new Date(t.clock.now().getTime() + 8 * 3_600_000);
    const [year, month] = local.getUTCMonth() === 11 ? [local.getUTCFullYear() + 1, 1] : [local.getUTCFullYear(), local.getUTCMonth() + 2];
    const day = firstWorkingDay(year, month, calendarOf('', ''));
    await advanceTo(Date.parse(`${day}T09:00:00+08:00`));
    const scheduler = t.app.get(FollowUpScheduler);
    const first = await scheduler.tick();
    const lastMonth = `${local.getUTCFullYear()}-${String(local.getUTCMonth() + 1).padStart(2, '0')}`;
    expect(first.report).toBe(lastMonth);
    expect((await scheduler.tick()).report).toBeNull();
    const reports = (await staff.get('/api/reports')).body.filter((r: { month: string; automatic: boolean }) => r.month === lastMonth && r.automatic);
    expect(reports).toHaveLength(1);
  });

  it('links a later review request to the case, and reminds evaluators of invitations about to lapse', async () => {
    const later = await post(staff, '/api/cases', caseBody());
    expect(later.status).toBe(201);
    expect((await post(staff, `/api/cases/${caseId}/links`, { caseNumber: later.body.caseNumber, kind: 'review', note: '信访人申请复查' })).status).toBe(201);
    expect((await post(staff, `/api/cases/${caseId}/links`, { caseNumber: later.body.caseNumber, kind: 'review' })).status).toBe(409);
    expect((await post(staff, `/api/cases/${caseId}/links`, { caseNumber: 'SQ-1999-0001', kind: 'recheck' })).status).toBe(422);
    expect((await staff.get(`/cases/${caseId}/closing`)).text).toContain(later.body.caseNumber);

    const draw = await post(staff, `/api/cases/${later.body.id}/draws`, {});
    await post(staff, `/api/draws/${draw.body.id}/witness`, { witnessName: '刘监督', witnessRole: '纪检监督员', witnessInput: '3 1 4 1 5 9' });
    const scheduler = t.app.get(FollowUpScheduler);
    expect((await scheduler.tick()).reminders).toBe(0); // 48 hours to answer: too early
    await advanceTo(t.clock.now().getTime() + 25 * 3_600_000);
    expect((await scheduler.tick()).reminders).toBe(5);
    expect((await scheduler.tick()).reminders).toBe(0);
    const [{ n }] = await t.dataSource.query(`SELECT COUNT(*) AS n FROM notification WHERE title = '评价邀请即将过期'`);
    expect(n).toBe(5);
  });

  it('shows the dashboard, the hall display and the exports', async () => {
    const dashboard = await staff.get('/dashboard');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain('/vendor/chart.js/chart.umd.min.js');
    expect((await request(t.http).get('/vendor/chart.js/chart.umd.min.js')).status).toBe(200);
    const display = await staff.get('/display');
    expect(display.text).toContain('data-refresh="60"');
    expect(display.text).toContain('红色预警');
    for (const url of ['/follow-up/export.xlsx', '/reports/cases.xlsx']) {
      const res = await staff.get(url);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
    }
    expect((await liaison.get('/dashboard')).status).toBe(403);
  });

  it('names every action and object the flow wrote to the audit log in Chinese, for the auditor', async () => {
    const written: { action: string; entityType: string | null }[] = await t.dataSource.getRepository(AuditEntry).createQueryBuilder('e').select(['e.action AS action', 'e.entityType AS entityType']).distinct(true).getRawMany();
    expect(written.length).toBeGreaterThan(20);
    const unnamed = written.filter((w) => !zhCN.audit.actions[w.action] || (w.entityType && !zhCN.audit.entityTypes[w.entityType]));
    expect(unnamed).toEqual([]);
    const page = await (await loginAs(t, 'auditor')).get('/audit?pageSize=100');
    expect(page.text).not.toMatch(/<td data-label="操作">[a-z_]+\.[a-z_]+/);
    // Before/after read as lines, times as office time, not epoch milliseconds.
    expect(page.text).toContain('<dl class="changes">');
    expect(page.text).not.toMatch(/<dd>1\d{12}<\/dd>/);
  });

  it('exports the tasks the list shows: a filtered list, the filtered tasks', async () => {
    const levels = async (url: string) => {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load((await staff.get(url).buffer(true).parse(binary)).body);
      const rows = workbook.worksheets[0].getSheetValues().slice(2) as unknown[][];
      return rows.map((row) => row[7]);
    };
    const all = await levels('/follow-up/export.xlsx');
    const filtered = { red: await levels('/follow-up/export.xlsx?level=red'), blue: await levels('/follow-up/export.xlsx?level=blue') };
    expect(filtered).toEqual({ red: all.filter((l) => l === '红色预警'), blue: all.filter((l) => l === '蓝色（正常推进）') });
    // Some tasks, so one of the two filters leaves some out (the export once ignored them).
    expect(all.length).toBeGreaterThan(0);
    expect(decodeURIComponent((await staff.get('/follow-up/export.xlsx?level=red')).headers['content-disposition'])).toContain('督办任务（红色预警）.xlsx');
    expect((await staff.get('/follow-up?level=blue')).text).toContain('href="/follow-up/export.xlsx?level=blue&amp;department="');
  });
});
