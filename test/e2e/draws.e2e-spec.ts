import request from 'supertest';
import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { PetitionCase } from '../../src/cases/petition-case.entity';
import { Draw } from '../../src/draws/draw.entity';
import { OutboxMessage } from '../../src/draws/notification.entity';
import { Panel, PanelMember } from '../../src/draws/panel.entity';
import { UserAccount } from '../../src/auth/user-account.entity';
import { Evaluator } from '../../src/pool/evaluator.entity';
import { runCli } from '../../src/cli';
import { binary } from '../support/binary';
import { Agent, createTestApp, loginAs, TestApp } from '../support/create-test-app';
import { caseBody } from '../support/factories';

describe('cases and verifiable draws', () => {
  let t: TestApp;
  let staff: Agent;
  beforeAll(async () => {
    t = await createTestApp({ evaluatorScale: 0.25 });
    staff = await loginAs(t, 'staff');
  });
  afterAll(() => t.close());

  const post = (agent: Agent, path: string, body: object = {}) => agent.post(path).set('x-csrf-token', agent.csrfToken).send(body);
  const register = async (overrides: Record<string, unknown> = {}) => {
    const res = await post(staff, '/api/cases', caseBody(overrides));
    expect(res.status).toBe(201);
    return res.body as { id: number; caseNumber: string };
  };
  const drawFor = async (caseId: number, witnessInput = '3 6 1 4 2 5') => {
    const committed = await post(staff, `/api/cases/${caseId}/draws`, {});
    expect(committed.status).toBe(201);
    const drawn = await post(staff, `/api/draws/${committed.body.id}/witness`, { witnessName: '刘监督', witnessRole: '纪检监督员', witnessInput });
    expect(drawn.status).toBe(200);
    return drawn.body;
  };

  it('computes eligibility and refuses an ineligible case without a recorded reason', async () => {
    const body = caseBody({ satisfaction: 'satisfied', history: [{ date: '2025-01-01', level: 'beijing', channel: 'visit' }] });
    const refused = await post(staff, '/api/cases', body);
    expect(refused.status).toBe(422);
    expect(refused.body.fields.ineligibleReason).toContain('赴省进京信访1次（不足3次）');
    const accepted = await post(staff, '/api/cases', { ...body, ineligibleReason: '市领导批示交办' });
    expect(accepted.body).toMatchObject({ eligible: false, ineligibleReason: '市领导批示交办' });
    const repeat = await post(staff, '/api/cases', caseBody({ satisfaction: 'basically_satisfied', history: Array.from({ length: 3 }, () => ({ date: '2025-02-02', level: 'province', channel: 'visit' })) }));
    expect(repeat.body.eligible).toBe(true);
  });

  it('masks the petitioner and validates nested history rows', async () => {
    const bad = await post(staff, '/api/cases', caseBody({ history: [{ date: '去年', level: 'moon', channel: 'visit' }] }));
    expect(bad.status).toBe(422);
    expect(bad.body.fields['history.0.date']).toBe('日期格式应为 年-月-日');
    expect(bad.body.fields['history.0.level']).toBe('信访层级不在可选范围内');
    const untitled = await post(staff, '/api/cases', caseBody({ title: '' }));
    expect(untitled.body.fields.title).toBe('标题不能为空');
    // Dates of what has happened cannot lie ahead; a case number is one whatever the letters' case.
    const ahead = await post(staff, '/api/cases', caseBody({ handlingDate: '2099-01-01', history: [{ date: '2030-01-01', level: 'city', channel: 'visit' }] }));
    expect(ahead.body.fields).toEqual({ handlingDate: '处理日期不能晚于今天', 'history.0.date': '信访日期不能晚于今天' });
    const upper = await post(staff, '/api/cases', caseBody({ caseNumber: 'sq-x-0001' }));
    expect(upper.body.caseNumber).toBe('SQ-X-0001');
    expect((await post(staff, '/api/cases', caseBody({ caseNumber: 'SQ-X-0001' }))).body.fields).toEqual({ caseNumber: '该案件编号已被使用' });
    const kase = await register();
    const detail = await staff.get(`/api/cases/${kase.id}`);
    expect(detail.body.kase.petitionerIdNumber).toMatch(/^\d{3}\*{11}[\dX]{4}$/);
    expect(detail.body.timeline[0]).toMatchObject({ toStatus: 'registered' });
  });

  it('stores attachments by content hash, checks the type by content, and serves them back', async () => {
    const kase = await register();
    const pdf = Buffer.from('%PDF-1.4\n% test case file\n');
    const ok = await staff.post(`/api/cases/${kase.id}/attachments`).set('x-csrf-token', staff.csrfToken).attach('file', pdf, '信访材料.pdf');
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ mimeType: 'application/pdf', fileName: '信访材料.pdf', size: pdf.length });
    const again = await staff.post(`/api/cases/${kase.id}/attachments`).set('x-csrf-token', staff.csrfToken).attach('file', pdf, '再传一次.pdf');
    expect([again.status, again.body.fields]).toEqual([409, { file: '该文件已作为附件上传过（信访材料.pdf），不必重复上传' }]);
    const fake = await staff.post(`/api/cases/${kase.id}/attachments`).set('x-csrf-token', staff.csrfToken).attach('file', Buffer.from('<script>alert(1)</script>'), 'scan.pdf');
    expect(fake.status).toBe(415);
    const download = await staff.get(`/cases/${kase.id}/attachments/${ok.body.id}`).buffer(true).parse(binary);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(Buffer.compare(download.body, pdf)).toBe(0);
    const liaison = await loginAs(t, 'liaison');
    expect((await liaison.get(`/cases/${kase.id}/attachments/${ok.body.id}`)).status).toBe(403);
  });

  it('commits, takes the witness input, draws a panel that keeps every rule, and verifies', async () => {
    const kase = await register();
    const committed = await post(staff, `/api/cases/${kase.id}/draws`, {});
    expect(committed.body).toMatchObject({ status: 'committed', secret: null });
    expect(committed.body.commitment).toMatch(/^[0-9a-f]{64}$/);
    const view = await post(staff, `/api/draws/${committed.body.id}/witness`, { witnessName: '刘监督', witnessRole: '纪检监督员', witnessInput: '3 6 1 4 2 5' });
    expect(view.body.draw.secret).toMatch(/^[0-9a-f]{64}$/);
    expect(view.body.members).toHaveLength(5);
    expect(view.body.alternates).toHaveLength(2);
    const categories = view.body.members.map((m: { category: string }) => m.category);
    expect(categories).toContain('lawyer');
    expect(categories).toContain('scholar');
    expect(categories.filter((c: string) => c === 'party_cadre' || c === 'deputy').length).toBeLessThanOrEqual(2);
    // Nobody employed by the responsible department (id 3) sits on the panel.
    const ids = view.body.members.map((m: { evaluatorId: number }) => m.evaluatorId);
    const seated = await t.dataSource.getRepository(Evaluator).findBy(ids.map((id: number) => ({ id })));
    expect(seated.every((e) => e.employerDepartmentId !== 3)).toBe(true);
    expect(view.body.excluded.some((e: { reasons: string }) => e.reasons.includes('任职于责任单位'))).toBe(true);

    const verified = await staff.get(`/api/draws/${committed.body.id}/verify`);
    expect(verified.body).toMatchObject({ matches: true, differences: [] });
    expect((await t.dataSource.getRepository(PetitionCase).findOneByOrFail({ id: kase.id })).status).toBe('panel_drawn');
    // Before suspending a member, the office sees the seat they hold.
    const record = await staff.get(`/pool/evaluators/${ids[0]}`);
    expect(record.text).toContain('该评价员正在以下案件的评价组中');
    expect(record.text).toContain(`<a href="/cases/${kase.id}">`);
    // Verification is public by code, with numbers only.
    const publicCheck = await request(t.http).get(`/api/verify/${view.body.draw.publicCode}`);
    expect(publicCheck.body.matches).toBe(true);
    const page = await request(t.http).get('/verify').query({ code: view.body.draw.publicCode });
    expect(page.text).toContain('一致');
    expect(page.text).not.toContain(seated[0].name);
    // Typed from paper in groups, in lower case: the same draw. A wrong code gets the form back, saying what a code looks like.
    const code: string = view.body.draw.publicCode;
    const grouped = `${code.slice(0, 4)} ${code.slice(4, 8)}-${code.slice(8)}`.toLowerCase();
    expect((await request(t.http).get('/verify').query({ code: grouped })).text).toContain('复算结果与记录完全相同');
    const wrong = await request(t.http).get('/verify').query({ code: '0000 0000 0000' });
    expect([wrong.status, wrong.text.includes('<p class="field-error" id="e-code">找不到这个验证码。')]).toEqual([404, true]);
    // The algorithm it is recomputed by is published where the page says.
    expect(page.text).toContain('href="/verify/algorithm.md"');
    const algorithm = await request(t.http).get('/verify/algorithm.md');
    expect([algorithm.status, algorithm.headers['content-type'], algorithm.text.split('\n')[0]]).toEqual([200, 'text/markdown; charset=utf-8', '# The panel draw: algorithm and how to check it']);
  });

  it('catches a tampered record: the verifier and the CLI name what differs', async () => {
    const kase = await register();
    const drawn = await drawFor(kase.id);
    const drawId = drawn.draw.id;
    const output: string[] = [];
    const log = jest.spyOn(console, 'log').mockImplementation((...args) => void output.push(args.join(' ')));
    const env = { DATABASE_PATH: t.databasePath, ...(t.databaseUrl ? { DATABASE_URL: t.databaseUrl } : {}), DATA_DIR: require('node:path').dirname(t.databasePath) };
    try {
      expect(await runCli(['verify-draw', String(drawId)], env)).toBe(0);
      expect(output.join('\n')).toContain('结果：一致（matches）');
      // A code made of decimal digits only (it happens about once in 280 draws) is still a code, not an id.
      await t.dataSource.query(`UPDATE draw SET witnessInput = '6 6 6 6 6 6', publicCode = '326211653227' WHERE id = ?`, [drawId]);
      output.length = 0;
      expect(await runCli(['verify-draw', '326211653227'], env)).toBe(1);
      expect(output.join('\n')).toContain('随机种子不符');
    } finally {
      log.mockRestore();
    }
    const res = await staff.get(`/api/draws/${drawId}/verify`);
    expect(res.body.matches).toBe(false);
    expect(res.body.differences.join('\n')).toContain('随机种子不符');
    const row = await t.dataSource.getRepository(Draw).findOneByOrFail({ id: drawId });
    expect(row.eligibleList.length).toBe(row.eligibleCount * 10);
  });

  it('sees a status change made between two draws (the in-memory pool is refreshed)', async () => {
    const first = await register();
    const view = await drawFor(first.id);
    const someone = view.members[0].evaluatorId;
    await post(staff, `/api/pool/evaluators/${someone}/status`, { status: 'suspended', reason: '本人申请暂停' });
    const second = await register();
    const committed = await post(staff, `/api/cases/${second.id}/draws`, {});
    const detail = await staff.get(`/api/draws/${committed.body.id}`);
    expect(detail.body.excluded.find((e: { evaluatorId: number }) => e.evaluatorId === someone)?.reasons).toContain('已暂停');
  });

  it('avoids an evaluator who declared a tie with the petitioner', async () => {
    const body = caseBody();
    const evaluator = await loginAs(t, 'pingjia');
    const declared = await post(evaluator, '/api/me/conflicts', { kind: 'other', personName: '测试信访人', personIdNumber: body.petitionerIdNumber, description: '信访人是本人表亲' });
    expect(declared.status).toBe(201);
    const kase = await post(staff, '/api/cases', body);
    const committed = await post(staff, `/api/cases/${kase.body.id}/draws`, {});
    const detail = await staff.get(`/api/draws/${committed.body.id}`);
    expect(detail.body.excluded.find((e: { evaluatorId: number }) => e.evaluatorId === 1)?.reasons).toContain('申报与信访人有利害关系');
  });

  it('shows names to the office and the auditor, numbers only to the public; liaisons cannot open draws', async () => {
    const kase = await register();
    const drawn = await drawFor(kase.id);
    const auditor = await loginAs(t, 'auditor');
    const view = await auditor.get(`/api/draws/${drawn.draw.id}`);
    expect(view.body.sealed).toBe(false);
    expect(view.body.members[0].who).toMatch(/^\S+（\d+）$/);
    const publicView = await request(t.http).get(`/api/verify/${drawn.draw.publicCode}`);
    expect(JSON.stringify(publicView.body)).not.toContain(view.body.members[0].who.replace(/（\d+）$/, ''));
    const liaison = await loginAs(t, 'liaison');
    expect((await liaison.get(`/api/draws/${drawn.draw.id}`)).status).toBe(403);
    expect((await liaison.get(`/api/cases/${kase.id}/panel`)).status).toBe(403);
  });

  it('cancels a waiting commitment only with a reason, and reveals its secret', async () => {
    const kase = await register();
    const committed = await post(staff, `/api/cases/${kase.id}/draws`, {});
    expect((await post(staff, `/api/draws/${committed.body.id}/cancel`, {})).status).toBe(422);
    const cancelled = await post(staff, `/api/draws/${committed.body.id}/cancel`, { reason: '会议延期' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const page = await request(t.http).get('/verify').query({ code: committed.body.publicCode });
    expect(page.text).toContain('未经见证即已取消');
    expect((await post(staff, `/api/cases/${kase.id}/draws`, {})).status).toBe(201);
  });

  it('refuses witness input outside the documented characters', async () => {
    const kase = await register();
    const committed = await post(staff, `/api/cases/${kase.id}/draws`, {});
    const odd = await post(staff, `/api/draws/${committed.body.id}/witness`, { witnessName: '刘', witnessRole: '监督员', witnessInput: '1\u00852' });
    expect(odd.status).toBe(422);
    expect(odd.body.fields.witnessInput).toContain('只能输入');
  });

  it('produces exactly one panel from 100 concurrent draw requests for one case', async () => {
    const kase = await register();
    const commits = await Promise.all(Array.from({ length: 20 }, () => post(staff, `/api/cases/${kase.id}/draws`, {})));
    expect(commits.filter((r) => r.status === 201)).toHaveLength(1);
    expect(commits.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    const drawId = commits.find((r) => r.status === 201)!.body.id;
    const witnesses = await Promise.all(Array.from({ length: 100 }, (_, i) => post(staff, `/api/draws/${drawId}/witness`, { witnessName: '见证人', witnessRole: '监督员', witnessInput: `${i}` })));
    expect(witnesses.filter((r) => r.status === 200)).toHaveLength(1);
    expect(witnesses.filter((r) => r.status >= 500)).toHaveLength(0);
    expect(await t.dataSource.getRepository(Panel).countBy({ caseId: kase.id })).toBe(1);
    expect(await t.dataSource.getRepository(PanelMember).countBy({ drawId })).toBe(7);
  });

  it('refuses, naming the constraint, when avoidance leaves too few lawyers', async () => {
    const lawyers = await t.dataSource.getRepository(Evaluator).findBy({ category: 'lawyer' });
    const kase = await register();
    for (const lawyer of lawyers) await post(staff, `/api/cases/${kase.id}/exclusions`, { evaluatorId: lawyer.id, reason: '与信访人系亲属' });
    const res = await post(staff, `/api/cases/${kase.id}/draws`, {});
    expect(res.status).toBe(422);
    expect(res.body.message).toContain(`回避后仅剩0名律师（至少需要1名）：${lawyers.filter((l) => l.status === 'active').length}名因联席办决定回避被排除`);
  });

  it('a decline moves the first fitting alternate in; accepting all confirms the panel', async () => {
    const categoryOf = new Map((await t.dataSource.getRepository(Evaluator).find()).map((e) => [e.id, e.category]));
    // The member who declines shares a category with an alternate: whichever alternate then moves
    // in keeps every quota and the government cap. (With two alternates that cannot happen on
    // every draw — both may belong to categories already full — so such a panel is drawn again.)
    let kase: { id: number } | undefined;
    let seated: PanelMember[] = [];
    let first: PanelMember | undefined;
    for (let attempt = 0; !first && attempt < 12; attempt++) {
      kase = await register();
      await drawFor(kase.id, '1 2 3 4 5 6');
      const members = await t.dataSource.getRepository(PanelMember).find({ where: { panelId: (await t.dataSource.getRepository(Panel).findOneByOrFail({ caseId: kase.id })).id } });
      seated = members.filter((m) => m.state === 'invited');
      const standbyCategories = new Set(members.filter((m) => m.state === 'standby').map((m) => categoryOf.get(m.evaluatorId)));
      first = seated.find((m) => standbyCategories.has(categoryOf.get(m.evaluatorId)));
    }
    if (!first || !kase) throw new Error('no panel with a replaceable seat in 12 draws');
    const agentOf = async (evaluatorId: number) => {
      let account = await t.dataSource.getRepository(UserAccount).findOneBy({ evaluatorId });
      if (!account) {
        // Evaluators loaded as demo data have no account; give one through the real hashing code.
        const { PasswordHasher } = await import('../../src/auth/password-hasher');
        const { newUserAccount } = await import('../../src/auth/user-account.entity');
        const hash = await new PasswordHasher().hash('Tianping-Demo-2026');
        account = await t.dataSource.getRepository(UserAccount).save(newUserAccount({ username: `e${evaluatorId}`, displayName: `评价员${evaluatorId}`, passwordHash: hash, role: 'evaluator', evaluatorId, mustChangePassword: false }, Date.now()));
      }
      return loginAs(t, account.username);
    };
    const decliner = await agentOf(first.evaluatorId);
    const noDeclaration = await post(decliner, `/api/inbox/invitations/${first.id}`, { answer: 'accept' });
    expect(noDeclaration.status).toBe(422);
    const noReason = await post(decliner, `/api/inbox/invitations/${first.id}`, { answer: 'decline' });
    expect([noReason.status, noReason.body.fields]).toEqual([422, { reason: '请说明不能参加的原因，联席办据此安排' }]);
    const declined = await post(decliner, `/api/inbox/invitations/${first.id}`, { answer: 'decline', reason: '外出' });
    expect(declined.body.state).toBe('declined');
    const promoted = await t.dataSource.getRepository(PanelMember).findOneByOrFail({ panelId: first.panelId, seat: first.seat!, state: 'invited' });
    expect(promoted.alternateRank).not.toBeNull();
    expect(await t.dataSource.getRepository(OutboxMessage).count()).toBeGreaterThan(0);

    // Someone else's invitation is not yours to answer.
    const other = seated.find((m) => m.id !== first.id)!;
    expect((await post(decliner, `/api/inbox/invitations/${other.id}`, { answer: 'accept', declaration: true })).status).toBe(404);

    const nowSeated = await t.dataSource.getRepository(PanelMember).findBy({ panelId: first.panelId, state: 'invited' });
    for (const member of nowSeated) {
      const agent = await agentOf(member.evaluatorId);
      expect((await post(agent, `/api/inbox/invitations/${member.id}`, { answer: 'accept', declaration: true })).body.state).toBe('accepted');
    }
    expect((await t.dataSource.getRepository(PetitionCase).findOneByOrFail({ id: kase.id })).status).toBe('panel_confirmed');
    const audit = await t.dataSource.getRepository(AuditEntry).countBy({ action: 'panel.alternate_promoted' });
    expect(audit).toBeGreaterThan(0);
  });

  it('an unanswered invitation lapses after 48 hours and the seat goes to an alternate', async () => {
    const kase = await register();
    await drawFor(kase.id, '6 5 4 3 2 1');
    t.clock.advance(48 * 3_600_000 + 1000);
    staff = await loginAs(t, 'staff');
    const panel = await staff.get(`/api/cases/${kase.id}/panel`);
    expect(panel.body).toMatchObject({ openSeats: expect.any(Array) });
    const states = panel.body.members.map((m: { state: string }) => m.state);
    expect(states.filter((s: string) => s === 'expired')).toHaveLength(5);
    // Two alternates move in; the other three seats wait for a supplementary draw.
    expect(states.filter((s: string) => s === 'invited')).toHaveLength(2);
    expect(panel.body.openSeats).toHaveLength(3);
    const supplementary = await post(staff, `/api/cases/${kase.id}/draws/supplementary`, { alternates: 1 });
    expect(supplementary.status).toBe(201);
    const drawn = await post(staff, `/api/draws/${supplementary.body.id}/witness`, { witnessName: '刘监督', witnessRole: '纪检监督员', witnessInput: '补充 42' });
    expect(drawn.status).toBe(200);
    expect(drawn.body.members).toHaveLength(3);
    const after = await staff.get(`/api/cases/${kase.id}/panel`);
    expect(after.body.openSeats).toEqual([]);
    expect((await staff.get(`/api/draws/${supplementary.body.id}/verify`)).body.matches).toBe(true);
    const firstDrawIds = new Set(panel.body.members.map((m: { evaluatorId: number }) => m.evaluatorId));
    expect(drawn.body.members.every((m: { evaluatorId: number }) => !firstDrawIds.has(m.evaluatorId))).toBe(true);
  });
});
