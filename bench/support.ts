import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface RunningServer {
  url: string;
  databasePath: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/**
 * Starts the built service as its own process (as in production) on a fresh database in a
 * temporary folder, optionally with the demo data, and waits until /health answers.
 */
export async function startServer(options: { seedDemo: boolean; cli?: string[][] }): Promise<RunningServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianping-bench-'));
  const databasePath = path.join(dir, 'bench.sqlite');
  const port = await freePort();
  const env = { ...process.env, DATA_DIR: dir, DATABASE_PATH: databasePath, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' as const, RATE_LIMIT_LOGIN: '1000000', RATE_LIMIT_PUBLIC: '1000000' };
  const migrate = spawnSync(process.execPath, [path.join(ROOT, 'dist/src/cli.js'), options.seedDemo ? 'seed-demo' : 'migrate'], { env, stdio: 'inherit' });
  if (migrate.status !== 0) throw new Error('could not prepare the database');
  for (const args of options.cli ?? []) {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'dist/src/cli.js'), ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    if (run.status !== 0) throw new Error(`cli ${args.join(' ')} failed`);
  }
  const child: ChildProcess = spawn(process.execPath, [...(process.env.BENCH_SERVER_ARGS ? process.env.BENCH_SERVER_ARGS.split(' ') : []), path.join(ROOT, 'dist/src/main.js')], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    databasePath,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => {
          fs.rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/** Logs in through the JSON API; returns the cookie header and CSRF token. */
export async function login(url: string, username: string, password: string): Promise<{ cookie: string; csrfToken: string }> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('tp_sid='))!.split(';')[0];
  const body = (await res.json()) as { csrfToken: string };
  return { cookie, csrfToken: body.csrfToken };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * Cases with a confirmed panel of 5 and an open meeting (fact step open), one evaluator
 * account per seat, written straight into the database; returns who sits in which meeting.
 */
export async function seedScoringMeetings(databasePath: string, evaluators: number): Promise<{ username: string; meetingId: number }[]> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(databasePath);
  const passwordHash = (db.prepare(`SELECT passwordHash FROM user_account WHERE username = 'staff'`).get() as { passwordHash: string }).passwordHash;
  // 40 cases with a confirmed panel of 5 and an open meeting: written straight into the database.
  const setup = db.transaction(() => {
    const now = Date.now();
    const evaluatorIds = (db.prepare(`SELECT id FROM evaluator WHERE status = 'active' ORDER BY id LIMIT ?`).all(evaluators) as { id: number }[]).map((r) => r.id);
    for (let c = 0; c < evaluators / 5; c++) {
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
  const clients = (db.prepare(`SELECT u.username, m.id AS meetingId FROM user_account u JOIN panel_member pm ON pm.evaluatorId = u.evaluatorId JOIN meeting m ON m.panelId = pm.panelId JOIN petition_case c ON c.id = m.caseId WHERE u.username LIKE 'bench%' AND c.caseNumber LIKE 'BENCH-%'`).all() as { username: string; meetingId: number }[]);
  db.close();
  return clients;
}
