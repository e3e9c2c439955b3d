import autocannon from 'autocannon';
import { DEMO_PASSWORD } from '../src/demo/seed-demo';
import { login, startServer } from './support';

const EVALUATORS = Number(process.env.BENCH_EVALUATORS ?? 200);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 30);
const RATE_EACH = Number(process.env.BENCH_RATE_EACH ?? 0);

/**
 * 200 evaluators with real sessions, each saving their fact-step score sheet over HTTP as
 * fast as the server answers (the autosave path: validated, version-checked, every version
 * kept, one transaction each), for 30 s; then every acknowledged save is looked up.
 */
async function main(): Promise<void> {
  const server = await startServer({ seedDemo: true });
  try {
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(server.databasePath);
    const passwordHash = (db.prepare(`SELECT passwordHash FROM user_account WHERE username = 'staff'`).get() as { passwordHash: string }).passwordHash;
    // 40 cases with a confirmed panel of 5 and an open meeting: written straight into the database.
    const setup = db.transaction(() => {
      const now = Date.now();
      const evaluatorIds = (db.prepare(`SELECT id FROM evaluator WHERE status = 'active' ORDER BY id LIMIT ?`).all(EVALUATORS) as { id: number }[]).map((r) => r.id);
      for (let c = 0; c < EVALUATORS / 5; c++) {
        const caseId = Number(db.prepare(`INSERT INTO petition_case (caseNumber, title, demandSummary, category, petitionerName, petitionerIdNumber, petitionerPhone, petitionerDistrict, petitionerTownship, handlingResult, handlingDate, satisfaction, eligible, status, registeredAt, updatedAt)
          VALUES (?, '基准案件', '诉求', '征地拆迁', '信访人', '41140219600101001X', '13600000000', '梁园区', '', '维持', '2025-01-01', 'dissatisfied', 1, 'evaluating', ?, ?)`).run(`BENCH-${c}`, now, now).lastInsertRowid);
        db.prepare(`INSERT INTO case_department (caseId, departmentId) VALUES (?, 1)`).run(caseId);
        const drawId = Number(db.prepare(`INSERT INTO draw (caseId, publicCode, kind, status, seats, rulesJson, rulesDigest, eligibleList, eligibleDigest, eligibleCount, excluded, secret, commitment, committedAt, witnessInput, seed, resultJson)
          VALUES (?, ?, 'initial', 'drawn', 5, '{}', '', x'', '', 0, x'', '', '', ?, 'bench', '', '{}')`).run(caseId, `B${String(c).padStart(11, '0')}`, now).lastInsertRowid);
        const panelId = Number(db.prepare(`INSERT INTO panel (caseId, drawId, status, createdAt, confirmedAt) VALUES (?, ?, 'confirmed', ?, ?)`).run(caseId, drawId, now, now).lastInsertRowid);
        const members = evaluatorIds.slice(c * 5, c * 5 + 5);
        members.forEach((id, seat) => db.prepare(`INSERT INTO panel_member (panelId, evaluatorId, drawId, seat, state, invitedAt, respondedAt) VALUES (?, ?, ?, ?, 'accepted', ?, ?)`).run(panelId, id, drawId, seat + 1, now, now));
        const meetingId = Number(db.prepare(`INSERT INTO meeting (caseId, panelId, scheduledAt, place, online, chairEvaluatorId, chairChosenBy, voteRule, status, openedAt, createdAt) VALUES (?, ?, ?, '会议室', 0, ?, 'random', 'majority', 'open', ?, ?)`).run(caseId, panelId, now, members[0], now, now).lastInsertRowid);
        ['facts', 'procedure', 'law', 'responsibility'].forEach((step, i) => db.prepare(`INSERT INTO evaluation_step (meetingId, step, position, status, openedAt) VALUES (?, ?, ?, ?, ?)`).run(meetingId, step, i + 1, i === 0 ? 'open' : 'pending', now));
        for (const id of members) db.prepare(`INSERT OR IGNORE INTO user_account (username, displayName, passwordHash, role, evaluatorId, active, mustChangePassword, passwordChangedAt, createdAt) VALUES (?, ?, ?, 'evaluator', ?, 1, 0, ?, ?)`).run(`bench${id}`, `评价员${id}`, passwordHash, id, now, now);
      }
    });
    setup();
    const clients = (db.prepare(`SELECT u.username, m.id AS meetingId FROM user_account u JOIN panel_member pm ON pm.evaluatorId = u.evaluatorId JOIN meeting m ON m.panelId = pm.panelId WHERE u.username LIKE 'bench%'`).all() as { username: string; meetingId: number }[]);
    db.close();

    const sessions: { username: string; meetingId: number; cookie: string; csrfToken: string; version: number }[] = [];
    for (let i = 0; i < clients.length; i += 20) {
      sessions.push(...(await Promise.all(clients.slice(i, i + 20).map(async (c) => ({ ...c, ...(await login(server.url, c.username, DEMO_PASSWORD)), version: 0 })))));
    }
    // autocannon: one connection per evaluator, each sending its next version as soon as the
    // previous save is answered (a closed loop, like a busy autosave).
    let next = 0;
    let acknowledged = 0;
    type Context = { s?: (typeof sessions)[number] };
    const result = await autocannon({
      url: server.url,
      connections: sessions.length,
      duration: DURATION_S,
      // Paced like autosaves: each evaluator saves at most RATE_EACH times a second, so the load
      // is offered (200 × RATE_EACH per second) instead of only measuring a queue.
      ...(RATE_EACH > 0 ? { connectionRate: RATE_EACH } : {}),
      requests: [
        {
          method: 'POST',
          setupRequest: (req: Record<string, unknown>, context: Context) => {
            const s = (context.s ??= sessions[next++ % sessions.length]);
            return {
              ...req,
              path: `/api/meetings/${s.meetingId}/steps/facts/sheet`,
              headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'content-type': 'application/json' },
              body: JSON.stringify({ version: s.version, answers: { factsClear: s.version % 2 ? 'yes' : 'partly', keyFacts: `第${s.version}次保存`, values: { forPeople: 4 } } }),
            };
          },
          onResponse: (status: number, body: string, context: Context) => {
            if (status === 200) {
              acknowledged++;
              context.s!.version = (JSON.parse(body) as { version: number }).version;
            }
          },
        },
      ],
    } as unknown as autocannon.Options);
    // Requests still in flight when the clock stops are cut off by the load generator, not failed by the server.
    // A 409 is the version check refusing a save built on a stale version: autocannon now and
    // then prepares a connection's next request before handing it the previous answer. That is
    // the check working, counted apart; anything else that is not 2xx is an error.
    const byStatus = (result as unknown as { statusCodeStats: Record<string, { count: number }> }).statusCodeStats ?? {};
    const staleVersion = byStatus['409']?.count ?? 0;
    const errors = result.non2xx - staleVersion + result.errors + result.timeouts;
    const check = new Database(server.databasePath, { readonly: true });
    const found = (check.prepare(`SELECT COUNT(*) AS n FROM score_sheet_version`).get() as { n: number }).n;
    check.close();
    const figures = {
      req_per_s: Math.round(result.requests.average),
      p50_ms: result.latency.p50,
      p99_ms: result.latency.p99,
      errors,
      acknowledged,
      found,
      evaluators: sessions.length,
      duration_s: DURATION_S,
      stale_version_409: staleVersion,
      offered_per_s: RATE_EACH > 0 ? RATE_EACH * sessions.length : null,
    };
    console.log(`${sessions.length} evaluators saving score sheets for ${DURATION_S}s: ${figures.req_per_s}/s, p99 ${figures.p99_ms} ms, ${errors} errors, ${acknowledged} acknowledged, ${found} found`);
    console.log(JSON.stringify(figures));
    if (errors > 0 || found < acknowledged) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
