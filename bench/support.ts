import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createPostgresDatabase, dropPostgresDatabase, openDirectConnection, startTestPostgres } from './direct-connection';

const ROOT = path.resolve(__dirname, '../..');

export interface RunningServer {
  /** The first instance. */
  url: string;
  /** Every instance, when several share one PostgreSQL database. */
  urls: string[];
  /** The service processes, one per instance. */
  pids: number[];
  databasePath: string;
  databaseUrl?: string;
  stop(): Promise<void>;
}

/** A port nothing listens on now (the kernel's pick, then released). */
export async function freePort(): Promise<number> {
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
 * temporary folder, optionally with the demo data, and waits until /health answers. With
 * `postgres`, the database is a new one on the throw-away PostgreSQL cluster, and `instances`
 * processes (each on its own port) share it.
 */
export async function startServer(options: { seedDemo: boolean; cli?: string[][]; postgres?: boolean; instances?: number }): Promise<RunningServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianping-bench-'));
  const databasePath = path.join(dir, 'bench.sqlite');
  const databaseUrl = options.postgres ? await createPostgresDatabase(startTestPostgres(), `bench_${process.pid}`) : undefined;
  const env = {
    ...process.env, DATA_DIR: dir, DATABASE_PATH: databasePath, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    HOST: '127.0.0.1', LOG_LEVEL: 'warn' as const, RATE_LIMIT_LOGIN: '1000000', RATE_LIMIT_PUBLIC: '1000000',
  };
  const migrate = spawnSync(process.execPath, [path.join(ROOT, 'dist/src/cli.js'), options.seedDemo ? 'seed-demo' : 'migrate'], { env, stdio: 'inherit' });
  if (migrate.status !== 0) throw new Error('could not prepare the database');
  for (const args of options.cli ?? []) {
    const run = spawnSync(process.execPath, [path.join(ROOT, 'dist/src/cli.js'), ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    if (run.status !== 0) throw new Error(`cli ${args.join(' ')} failed`);
  }
  const children: ChildProcess[] = [];
  const urls: string[] = [];
  for (let n = 0; n < (options.instances ?? 1); n++) {
    const port = await freePort();
    children.push(spawn(process.execPath, [...(process.env.BENCH_SERVER_ARGS ? process.env.BENCH_SERVER_ARGS.split(' ') : []), path.join(ROOT, 'dist/src/main.js')], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'inherit', 'inherit'] }));
    urls.push(`http://127.0.0.1:${port}`);
  }
  try {
    for (const [i, url] of urls.entries()) await waitForHealth(url, children[i]);
  } catch (error) {
    children.forEach((child) => child.kill('SIGKILL'));
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    url: urls[0],
    urls,
    pids: children.map((child) => child.pid!),
    databasePath,
    databaseUrl,
    // Once, however often it is called (a bench may stop early and again in its finally).
    stop: () =>
      (stopped ??= (async () => {
        await Promise.all(children.map((child) => new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        })));
        if (databaseUrl) await dropPostgresDatabase(databaseUrl);
        fs.rmSync(dir, { recursive: true, force: true });
      })()),
  };
}

/**
 * Waits until a service just spawned answers /health. Fails, saying why, if its process exits
 * first or it does not answer within `timeoutMs` (then it is killed).
 */
export async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the service exited on start (${child.exitCode ?? child.signalCode}); its error output is above`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the service did not answer /health within ${timeoutMs / 1000} s of its start`);
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
export async function seedScoringMeetings(target: { databasePath: string; databaseUrl?: string }, evaluators: number): Promise<{ username: string; meetingId: number }[]> {
  const db = await openDirectConnection(target);
  const [{ passwordHash }] = await db.all<{ passwordHash: string }>(`SELECT passwordHash FROM user_account WHERE username = 'staff'`);
  // 40 cases with a confirmed panel of 5 and an open meeting: written straight into the database, in one transaction.
  await db.run('BEGIN');
  const now = Date.now();
  const evaluatorIds = (await db.all<{ id: number }>(`SELECT id FROM evaluator WHERE status = 'active' ORDER BY id LIMIT ?`, [evaluators])).map((r) => r.id);
  for (let c = 0; c < evaluators / 5; c++) {
    const caseId = await db.insert(`INSERT INTO petition_case (caseNumber, title, demandSummary, category, petitionerName, petitionerIdNumber, petitionerPhone, petitionerDistrict, petitionerTownship, handlingResult, handlingDate, satisfaction, eligible, status, registeredAt, updatedAt)
      VALUES (?, '基准案件', '诉求', '征地拆迁', '信访人', '41140219600101001X', '13600000000', '梁园区', '', '维持', '2025-01-01', 'dissatisfied', TRUE, 'evaluating', ?, ?)`, [`BENCH-${c}`, now, now]);
    await db.run(`INSERT INTO case_department (caseId, departmentId) VALUES (?, 1)`, [caseId]);
    const drawId = await db.insert(`INSERT INTO draw (caseId, publicCode, kind, status, seats, rulesJson, rulesDigest, eligibleList, eligibleDigest, eligibleCount, excluded, secret, commitment, committedAt, witnessInput, seed, resultJson)
      VALUES (?, ?, 'initial', 'drawn', 5, '{}', '', ?, '', 0, ?, '', '', ?, 'bench', '', '{}')`, [caseId, `B${String(c).padStart(11, '0')}`, Buffer.alloc(0), Buffer.alloc(0), now]);
    const panelId = await db.insert(`INSERT INTO panel (caseId, drawId, status, createdAt, confirmedAt) VALUES (?, ?, 'confirmed', ?, ?)`, [caseId, drawId, now, now]);
    const members = evaluatorIds.slice(c * 5, c * 5 + 5);
    for (const [seat, id] of members.entries()) await db.run(`INSERT INTO panel_member (panelId, evaluatorId, drawId, seat, state, invitedAt, respondedAt) VALUES (?, ?, ?, ?, 'accepted', ?, ?)`, [panelId, id, drawId, seat + 1, now, now]);
    const meetingId = await db.insert(`INSERT INTO meeting (caseId, panelId, scheduledAt, place, online, chairEvaluatorId, chairChosenBy, voteRule, status, openedAt, createdAt) VALUES (?, ?, ?, '会议室', FALSE, ?, 'random', 'majority', 'open', ?, ?)`, [caseId, panelId, now, members[0], now, now]);
    for (const [i, step] of ['facts', 'procedure', 'law', 'responsibility'].entries()) await db.run(`INSERT INTO evaluation_step (meetingId, step, position, status, openedAt) VALUES (?, ?, ?, ?, ?)`, [meetingId, step, i + 1, i === 0 ? 'open' : 'pending', now]);
    for (const id of members) await db.run(`INSERT INTO user_account (username, displayName, passwordHash, role, evaluatorId, active, mustChangePassword, passwordChangedAt, createdAt) VALUES (?, ?, ?, 'evaluator', ?, TRUE, FALSE, ?, ?) ON CONFLICT DO NOTHING`, [`bench${id}`, `评价员${id}`, passwordHash, id, now, now]);
  }
  await db.run('COMMIT');
  const clients = await db.all<{ username: string; meetingId: number }>(`SELECT u.username, m.id AS meetingId FROM user_account u JOIN panel_member pm ON pm.evaluatorId = u.evaluatorId JOIN meeting m ON m.panelId = pm.panelId JOIN petition_case c ON c.id = m.caseId WHERE c.caseNumber LIKE 'BENCH-%'`);
  await db.close();
  return clients;
}
