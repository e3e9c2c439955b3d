import { AuditEntry } from '../../src/audit/audit-entry.entity';
import { PetitionCase } from '../../src/cases/petition-case.entity';
import { Measure, Meeting, ScoreSheetVersion } from '../../src/evaluations/evaluation.entities';
import { Agent, createTestApp, evaluatorAgent, loginAs, TestApp } from '../support/create-test-app';
import { caseBody, meetingTime } from '../support/factories';
import { seatPanel } from '../support/panel';

const post = (agent: Agent, path: string, body: object = {}) => agent.post(path).set('x-csrf-token', agent.csrfToken).send(body);

/** Complete answers for each step, varied by member so the draft has something to count. */
function answers(step: string, i: number, departmentIds: number[]) {
  const common = { values: { forPeople: 4, lawful: 4, fair: 5, efficient: 3 }, opinion: `第${i}位成员的意见` };
  switch (step) {
    case 'facts': return { ...common, factsClear: i < 3 ? 'yes' : 'partly', evidenceSufficient: 'partly', keyFacts: '安置面积认定存在争议' };
    case 'procedure': return { ...common, procedureCompliant: 'partly', timeLimitsMissed: '答复超期15日' };
    case 'law': return { ...common, legalBasis: i < 3 ? 'partly' : 'yes', appliedCorrectly: 'partly', resultInPlace: 'no' };
    default: return { ...common, departmentDuty: Object.fromEntries(departmentIds.map((d) => [d, i < 3 ? 'no' : 'yes'])), petitionerConduct: 'lawful', hardship: i < 3 ? 'yes' : 'no', needsExplanation: 'no', needsPsychological: 'no' };
  }
}

describe('the evaluation meeting', () => {
  let t: TestApp;
  let staff: Agent;
  let caseId: number;
  let meetingId: number;
  let members: { id: number; agent: Agent }[];
  let chair: { id: number; agent: Agent };
  const departmentIds = [3];

  beforeAll(async () => {
    t = await createTestApp({ evaluatorScale: 0.25 });
    staff = await loginAs(t, 'staff');
    caseId = (await post(staff, '/api/cases', caseBody({ departmentIds }))).body.id;
    members = await seatPanel(t, staff, caseId);
    expect((await t.dataSource.getRepository(PetitionCase).findOneByOrFail({ id: caseId })).status).toBe('panel_confirmed');
  });
  afterAll(() => t.close());

  it('schedules the meeting with a random chair from the panel, and opening it starts the fact step', async () => {
    const early = await post(members[0].agent, `/api/meetings/1/steps/facts/sheet`, { answers: {}, version: 0 });
    expect(early.status).toBe(404);
    const noReason = await post(staff, `/api/cases/${caseId}/meeting`, { scheduledAt: meetingTime(), place: '市信访局三楼会议室', chairEvaluatorId: members[1].id });
    expect(noReason.status).toBe(422);
    // On the case page, a slip of the year and an empty place come back there, beside their fields.
    const slip = await staff.post(`/cases/${caseId}/meeting`).type('form').send({ _csrf: staff.csrfToken, scheduledAt: '2020-12-01T09:30', place: '' });
    expect(slip.status).toBe(422);
    expect(slip.text).toContain('<p class="field-error" id="e-place">会议地点不能为空</p>');
    expect(slip.text).toContain('value="2020-12-01T09:30"');
    const past = await staff.post(`/cases/${caseId}/meeting`).type('form').send({ _csrf: staff.csrfToken, scheduledAt: '2020-12-01T09:30', place: '三楼会议室' });
    expect([past.status, past.text.includes('<p class="field-error" id="e-scheduledAt">会议时间不能早于今天</p>')]).toEqual([422, true]);
    // The page's form as a browser sends it: the chair left to chance posts empty chair fields.
    const form = { _csrf: staff.csrfToken, scheduledAt: meetingTime(), place: '市信访局三楼会议室', voteRule: 'majority', chairEvaluatorId: '', chairReason: '' };
    const scheduled = await staff.post(`/cases/${caseId}/meeting`).type('form').send(form);
    expect(scheduled.headers.location).toMatch(/^\/meetings\/\d+\?notice=scheduled$/);
    const meeting = await t.dataSource.getRepository(Meeting).findOneByOrFail({ caseId });
    meetingId = meeting.id;
    expect(members.map((m) => m.id)).toContain(meeting.chairEvaluatorId);
    chair = members.find((m) => m.id === meeting.chairEvaluatorId)!;
    const sealed = await members[0].agent.get(`/api/meetings/${meetingId}`);
    expect(sealed.body.members.every((p: { name: string }) => /^评价员 \d+$/.test(p.name))).toBe(true);
    expect(sealed.body.dossier.kase.petitionerIdNumber).toMatch(/\*{11}/);
    expect((await post(staff, `/api/meetings/${meetingId}/open`)).status).toBe(200);
    const unsealed = await members[0].agent.get(`/api/meetings/${meetingId}`);
    expect(unsealed.body.members.some((p: { name: string }) => !/^评价员/.test(p.name))).toBe(true);
    expect(unsealed.body.steps.map((s: { status: string }) => s.status)).toEqual(['open', 'pending', 'pending', 'pending']);
  });

  it('refuses out-of-order, foreign and malformed submissions, changing nothing', async () => {
    const a = members[0].agent;
    const outOfOrder = await post(a, `/api/meetings/${meetingId}/steps/procedure/submit`, { answers: answers('procedure', 0, departmentIds), version: 0 });
    expect(outOfOrder.status).toBe(409);
    expect(outOfOrder.body.message).toBe('程序评价尚未开始');
    const stranger = await evaluatorAgent(t, 2);
    expect((await post(stranger, `/api/meetings/${meetingId}/steps/facts/submit`, { answers: answers('facts', 0, departmentIds), version: 0 })).status).toBe(404);
    const extra = await post(a, `/api/meetings/${meetingId}/steps/facts/submit`, { answers: { ...answers('facts', 0, departmentIds), hack: 1 }, version: 0 });
    expect(extra.status).toBe(422);
    expect(extra.body.fields.hack).toBe('不允许的字段');
    const unknownStep = await post(a, `/api/meetings/${meetingId}/steps/verdict/submit`, { answers: {}, version: 0 });
    expect(unknownStep.status).toBe(404);
    const incomplete = await post(a, `/api/meetings/${meetingId}/steps/facts/submit`, { answers: { factsClear: 'yes' }, version: 0 });
    expect(incomplete.status).toBe(422);
    expect(incomplete.body.fields.opinion).toBe('请填写评价意见');
    expect(await t.dataSource.getRepository(ScoreSheetVersion).count()).toBe(0);
  });

  it('keeps drafts, catches two tabs overwriting each other, and hides others until one submits', async () => {
    const [a, b] = members;
    const first = await post(a.agent, `/api/meetings/${meetingId}/steps/facts/sheet`, { answers: { factsClear: 'yes' }, version: 0 });
    expect(first.body).toMatchObject({ status: 'draft', version: 1 });
    const otherTab = await post(a.agent, `/api/meetings/${meetingId}/steps/facts/sheet`, { answers: { factsClear: 'no' }, version: 0 });
    expect(otherTab.status).toBe(409);
    expect(otherTab.body.message).toContain('已在其他页面或设备上保存过');
    expect((await a.agent.get(`/api/meetings/${meetingId}/steps/facts/sheet`)).body.sheet.answers).toEqual({ factsClear: 'yes' });

    await post(b.agent, `/api/meetings/${meetingId}/steps/facts/submit`, { answers: answers('facts', 1, departmentIds), version: 0 });
    const blind = await a.agent.get(`/api/meetings/${meetingId}/steps/facts/sheets`);
    expect(blind.status).toBe(403);
    expect(blind.body.message).toBe('请先提交您本人的评分，再查看其他成员的评分。');
    await post(a.agent, `/api/meetings/${meetingId}/steps/facts/submit`, { answers: answers('facts', 0, departmentIds), version: 1 });
    const seen = await a.agent.get(`/api/meetings/${meetingId}/steps/facts/sheets`);
    expect(seen.status).toBe(200);
    expect(seen.body).toHaveLength(2);
  });

  it('amends a submitted sheet only with a reason, keeping every version', async () => {
    const a = members[0];
    const noReason = await post(a.agent, `/api/meetings/${meetingId}/steps/facts/submit`, { answers: answers('facts', 0, departmentIds), version: 2 });
    expect(noReason.status).toBe(409);
    expect(noReason.body.message).toContain('如需修改，请填写修改原因');
    const emptyReason = await post(a.agent, `/api/meetings/${meetingId}/steps/facts/amend`, { answers: answers('facts', 0, departmentIds), version: 2, reason: '' });
    expect(emptyReason.status).toBe(422);
    const unchanged = await post(a.agent, `/api/meetings/${meetingId}/steps/facts/amend`, { answers: answers('facts', 0, departmentIds), version: 2, reason: '再看了一遍' });
    expect([unchanged.status, unchanged.body.message]).toEqual([422, '修改后的评分与已提交的完全相同，无需提交修改']);
    const amended = await post(a.agent, `/api/meetings/${meetingId}/steps/facts/amend`, { answers: { ...answers('facts', 0, departmentIds), keyFacts: '补充：测绘报告显示面积差12平方米' }, version: 2, reason: '核对了附件中的测绘报告' });
    expect(amended.body).toMatchObject({ status: 'submitted', version: 3 });
    const versions = await t.dataSource.getRepository(ScoreSheetVersion).find({ where: { sheetId: amended.body.id }, order: { version: 'ASC' } });
    expect(versions.map((v) => [v.version, v.status, v.reason])).toEqual([[1, 'draft', null], [2, 'submitted', null], [3, 'submitted', '核对了附件中的测绘报告']]);
    await expect(t.dataSource.query(`UPDATE score_sheet_version SET answers = '{}'`)).rejects.toThrow(/append-only/);
  });

  it('only the chair closes a step, only when more than half submitted and the rest were recorded absent; a closed step is read-only', async () => {
    const notChair = members.find((m) => m.id !== chair.id)!;
    expect((await post(notChair.agent, `/api/meetings/${meetingId}/steps/facts/close`)).status).toBe(403);
    // Two of five have submitted: marking the other three absent does not make a step's findings.
    const others = members.slice(2).map((m) => m.id);
    const early = await post(chair.agent, `/api/meetings/${meetingId}/steps/facts/close`, { absentees: others.filter((id) => id !== chair.id) });
    expect([early.status, early.body.message]).toEqual([409, '本步骤只收到2份评分，须有评价组过半数（3人以上）提交后才能结束。请等待其他成员提交。']);
    const selfAbsent = await post(chair.agent, `/api/meetings/${meetingId}/steps/facts/close`, { absentees: [chair.id] });
    expect([selfAbsent.status, selfAbsent.body.fields]).toEqual([422, { absentees: '组长本人正在结束本步骤，不能记为缺席' }]);
    // The absent member is one who is not the chair.
    const absent = [...members].reverse().find((m) => m.id !== chair.id)!;
    for (const [i, m] of members.entries()) {
      if (i < 2 || m === absent) continue;
      expect((await post(m.agent, `/api/meetings/${meetingId}/steps/facts/submit`, { answers: answers('facts', i, departmentIds), version: 0 })).status).toBe(200);
    }
    const notAll = await post(chair.agent, `/api/meetings/${meetingId}/steps/facts/close`);
    expect(notAll.status).toBe(409);
    expect(notAll.body.message).toContain('还有成员未提交评分');
    const closed = await post(chair.agent, `/api/meetings/${meetingId}/steps/facts/close`, { absentees: [absent.id] });
    expect(closed.body).toEqual({ closed: 'facts', opened: 'procedure' });
    const late = await post(absent.agent, `/api/meetings/${meetingId}/steps/facts/submit`, { answers: answers('facts', members.indexOf(absent), departmentIds), version: 0 });
    expect(late.status).toBe(409);
    expect(late.body.message).toBe('事实评价已结束，评分表不能再修改');
  });

  it('walks the other three steps, drafts the resolution by majority, votes and adopts it', async () => {
    for (const step of ['procedure', 'law', 'responsibility']) {
      for (const [i, m] of members.entries()) {
        expect((await post(m.agent, `/api/meetings/${meetingId}/steps/${step}/submit`, { answers: answers(step, i, departmentIds), version: 0 })).status).toBe(200);
      }
      expect((await post(chair.agent, `/api/meetings/${meetingId}/steps/${step}/close`)).status).toBe(200);
    }
    const draft = await members[0].agent.get(`/api/meetings/${meetingId}/resolution`);
    expect(draft.body.current.status).toBe('draft');
    const texts = draft.body.current.items.map((i: { sentence: string }) => i.sentence);
    expect(texts[0]).toBe('经评价，认定诉求部分合理。');
    expect(texts).toContain('市住房和城乡建设局未完全依法履职，予以纠偏定责。');
    expect(draft.body.current.items.map((i: { key: string }) => i.key)).toEqual(['finding', 'department:3', 'measure:solve:3', 'measure:relief:3', 'routing']);

    // The chair sets the deadline to 20 days before the vote.
    const items = draft.body.current.items.map((i: Record<string, unknown>) => (i.key === 'measure:solve:3' ? { ...i, days: 20 } : i));
    expect((await post(chair.agent, `/api/meetings/${meetingId}/resolution`, { items })).status).toBe(200);
    expect((await post(members.find((m) => m.id !== chair.id)!.agent, `/api/meetings/${meetingId}/resolution/voting`)).status).toBe(403);
    expect((await post(chair.agent, `/api/meetings/${meetingId}/resolution/voting`)).status).toBe(200);

    const keys = items.map((i: { key: string }) => i.key);
    const partial = await post(members[0].agent, `/api/meetings/${meetingId}/resolution/votes`, { votes: [{ itemKey: 'finding', choice: 'agree' }] });
    expect(partial.status).toBe(422);
    // On the page, a vote missing an item comes back naming it, with the choices and dissent kept.
    const form = { _csrf: members[0].agent.csrfToken, [`votes[${keys[0]}][choice]`]: 'disagree', [`votes[${keys[0]}][dissent]`]: '认定过宽' };
    const refused = await members[0].agent.post(`/meetings/${meetingId}/resolution/votes`).type('form').send(form);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(`尚未选择：${keys.slice(1).map((_: string, i: number) => `第${i + 2}项`).join('、')}`);
    expect(refused.text).toMatch(new RegExp(`name="votes\\[${keys[0]}\\]\\[choice\\]" value="disagree" checked`));
    expect(refused.text).toContain('>认定过宽</textarea>');
    // Before closing the vote, the chair sees who has not voted.
    const chairPage = (await chair.agent.get(`/meetings/${meetingId}/resolution`)).text;
    expect(chairPage).toContain('尚未表决：');
    expect(chairPage).toContain(`尚有${members.length}人未表决，将按不同意计算。`);
    for (const [i, m] of members.entries()) {
      const votes = keys.map((k: string) => ({ itemKey: k, choice: k === 'routing' && i < 3 ? 'disagree' : i === 4 ? 'abstain' : 'agree', dissent: i === 4 ? '本人对补偿标准持保留意见' : undefined }));
      const res = await post(m.agent, `/api/meetings/${meetingId}/resolution/votes`, { votes });
      expect(res.status).toBe(200);
      if (i === 4) expect(res.body.status).toBe('adopted');
    }
    expect((await post(members[0].agent, `/api/meetings/${meetingId}/resolution/votes`, { votes: keys.map((k: string) => ({ itemKey: k, choice: 'agree' })) })).status).toBe(409);
    const adopted = await staff.get(`/api/meetings/${meetingId}/resolution`);
    expect(adopted.body.current.status).toBe('adopted');
    const routing = adopted.body.current.outcome.find((o: { key: string }) => o.key === 'routing');
    expect(routing).toMatchObject({ agree: 1, disagree: 3, abstain: 1, passed: false });
    expect(adopted.body.current.votes.some((v: { dissent: string }) => v.dissent === '本人对补偿标准持保留意见')).toBe(true);
    expect((await t.dataSource.getRepository(PetitionCase).findOneByOrFail({ id: caseId })).status).toBe('resolved');
    const measures = await t.dataSource.getRepository(Measure).find({ where: { caseId } });
    expect(measures.map((m) => [m.kind, m.days])).toEqual([['solve', 20], ['relief', 30]]);
    // "Within 20 days" runs to the end of the 20th day in office time (UTC+8), as printed.
    const officeDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString();
    expect(officeDay(measures[0].dueAt! + 1).slice(11)).toBe('00:00:00.000Z');
    expect(officeDay(measures[0].dueAt!).slice(0, 10)).toBe(officeDay(t.clock.now().getTime() + 20 * 86_400_000).slice(0, 10));
    expect(await t.dataSource.getRepository(AuditEntry).countBy({ action: 'resolution.adopted' })).toBe(1);
  });

  it('corrects an adopted resolution only as a new version with a reason; both stay visible', async () => {
    const current = (await staff.get(`/api/meetings/${meetingId}/resolution`)).body.current;
    expect((await post(staff, `/api/meetings/${meetingId}/resolution/corrections`, { items: current.items })).status).toBe(422);
    const corrected = await post(staff, `/api/meetings/${meetingId}/resolution/corrections`, { items: current.items.map((i: Record<string, unknown>) => (i.key === 'measure:relief:3' ? { ...i, days: 15 } : i)), reason: '救助期限笔误，应为15日' });
    expect(corrected.body).toMatchObject({ version: 2, status: 'draft', reason: '救助期限笔误，应为15日' });
    const view = await staff.get(`/api/meetings/${meetingId}/resolution`);
    expect(view.body.versions.map((v: { status: string }) => v.status)).toEqual(['superseded', 'draft']);
  });

  it('renders the meeting, sheet and resolution pages completely for members and the office', async () => {
    const pages: [Agent, string][] = [
      [members[0].agent, '/meetings'], [members[0].agent, `/meetings/${meetingId}`], [members[0].agent, `/meetings/${meetingId}/steps/facts`],
      [members[0].agent, `/meetings/${meetingId}/steps/responsibility`], [members[0].agent, `/meetings/${meetingId}/resolution`],
      [staff, `/meetings/${meetingId}`], [staff, `/meetings/${meetingId}/resolution`], [staff, `/cases/${caseId}`],
    ];
    for (const [agent, path] of pages) {
      const res = await agent.get(path);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      expect(res.text).not.toMatch(/\[object Object\]|>undefined</);
    }
    // A form's address reloaded after a refused submission leads back to its page.
    expect((await members[0].agent.get(`/meetings/${meetingId}/steps/facts/submit`)).headers.location).toBe(`/meetings/${meetingId}/steps/facts`);
    expect((await staff.get(`/meetings/${meetingId}/resolution/votes`)).headers.location).toBe(`/meetings/${meetingId}/resolution`);
    // A member's list names each meeting's case, not only its time and room.
    const kase = await t.dataSource.getRepository(PetitionCase).findOneByOrFail({ id: caseId });
    expect((await members[0].agent.get('/meetings')).text).toContain(`${kase.caseNumber}「${kase.title}」`);
    const sheetPage = await members[0].agent.get(`/meetings/${meetingId}/steps/facts`);
    expect(sheetPage.text).toContain('已结束，评分表只读');
    expect(sheetPage.text).toContain('其他成员的评分');
  });

  it('the chair edits the draft on the page: a new deadline, one measure dropped', async () => {
    const draft = (await chair.agent.get(`/api/meetings/${meetingId}/resolution`)).body.current;
    expect(draft.status).toBe('draft');
    const form: Record<string, string> = { _csrf: chair.agent.csrfToken };
    draft.items.forEach((item: Record<string, unknown>, i: number) => {
      form[`items[${i}][kind]`] = String(item.kind);
      form[`items[${i}][basis]`] = String(item.basis);
      if (item.kind === 'finding') form[`items[${i}][finding]`] = String(item.finding);
      if (item.kind === 'department') Object.assign(form, { [`items[${i}][departmentId]`]: String(item.departmentId), [`items[${i}][atFault]`]: String(item.atFault), [`items[${i}][include]`]: 'on' });
      if (item.kind === 'measure') {
        Object.assign(form, { [`items[${i}][measure]`]: String(item.measure), [`items[${i}][departmentId]`]: item.departmentId ? String(item.departmentId) : '', [`items[${i}][text]`]: String(item.text), [`items[${i}][days]`]: item.key === 'measure:solve:3' ? '25' : String(item.days ?? '') });
        if (item.key !== 'measure:relief:3') form[`items[${i}][include]`] = 'on';
      }
      if (item.kind === 'routing') Object.assign(form, { [`items[${i}][routing]`]: String(item.routing), [`items[${i}][include]`]: 'on' });
    });
    // A wrong deadline comes back beside its item, with every edit kept.
    const solveAt = draft.items.findIndex((item: { key: string }) => item.key === 'measure:solve:3');
    // Items before it are dropped in this attempt, so the problem is placed by the page's numbering.
    const before: Record<string, string> = {};
    draft.items.forEach((item: { kind: string }, i: number) => {
      if (i < solveAt && item.kind !== 'finding') before[`items[${i}][include]`] = '';
    });
    const refused = await chair.agent.post(`/meetings/${meetingId}/resolution/edit`).type('form').send({ ...form, ...before, [`items[${solveAt}][days]`]: '-5', [`items[${solveAt}][text]`]: '限期核查并书面答复' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(`<p class="field-error" id="e-items.${solveAt}">第${solveAt + 1}项：期限应为1至365日</p>`);
    expect(refused.text).toContain('value="限期核查并书面答复"');
    expect(refused.text).toContain('value="-5"');
    // Full-width digits, as a Chinese keyboard types them, are read as digits.
    // The chair adds a measure the draft lacked, and a referral where there is none.
    const at = draft.items.length;
    const added = { [`items[${at}][kind]`]: 'measure', [`items[${at}][added]`]: '1', [`items[${at}][measure]`]: 'explanation', [`items[${at}][departmentId]`]: '3', [`items[${at}][text]`]: '向信访人当面解释安置政策', [`items[${at}][days]`]: '10' };
    const hasRouting = draft.items.some((i: { kind: string }) => i.kind === 'routing');
    const referral = hasRouting ? {} : { [`items[${at + 1}][kind]`]: 'routing', [`items[${at + 1}][added]`]: '1', [`items[${at + 1}][routing]`]: 'leading_group' };
    const res = await chair.agent.post(`/meetings/${meetingId}/resolution/edit`).type('form').send({ ...form, [`items[${solveAt}][days]`]: '２５', ...added, ...referral });
    expect(res.status).toBe(303);
    const edited = (await chair.agent.get(`/api/meetings/${meetingId}/resolution`)).body.current;
    expect(edited.items.find((i: { key: string }) => i.key === 'measure:explanation:3')).toMatchObject({ days: 10, text: '向信访人当面解释安置政策', basis: '由组长拟定' });
    if (!hasRouting) expect(edited.items.find((i: { key: string }) => i.key === 'routing')).toMatchObject({ routing: 'leading_group' });
    expect(edited.items.map((i: { key: string }) => i.key)).not.toContain('measure:relief:3');
    expect(edited.items.find((i: { key: string }) => i.key === 'measure:solve:3')).toMatchObject({ days: 25, text: '市住房和城乡建设局在25日内依法依规解决到位' }); // the sentence follows the days
    const page = await chair.agent.get(`/meetings/${meetingId}/resolution`);
    expect(page.text).toContain('组长：修改决议草案');
  });
});

