import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEMO_PASSWORD } from '../src/demo/seed-demo';
import { createPostgresDatabase, DirectConnection, dropPostgresDatabase, openDirectConnection, startTestPostgres } from './direct-connection';
import { freePort, login, seedScoringMeetings, waitForHealth } from './support';

const KILLS = Number(process.env.BENCH_KILLS ?? 20);
const EVALUATORS = Number(process.env.BENCH_EVALUATORS ?? 200);
/** Each kill waits (20 s at most) until this many saves of its round were acknowledged. */
const MIN_ACKS_PER_ROUND = 10;
const ROOT = path.resolve(__dirname, '../..');
/** BENCH_DATABASE=postgres: the service on the throw-away PostgreSQL cluster, killed just the same. */
const POSTGRES = process.env.BENCH_DATABASE === 'postgres';

interface Client {
  username: string;
  meetingId: number;
  cookie: string;
  csrfToken: string;
  version: number;
  /** Every fourth evaluator submits and then amends (audited writes), the others autosave drafts. */
  audited: boolean;
  submitted: boolean;
}

/**
 * Nothing lost: 200 evaluators keep saving score sheets while the service is killed with SIGKILL
 * at a random moment once saves are flowing, restarted on the same database, 20 times. Afterwards every save that got a
 * 2xx must be in the database with the content sent, no sheet may point at a version that was
 * not written (or the reverse), PRAGMA integrity_check must say ok and the audit chain — written
 * to by the quarter of the evaluators who submit and amend — must verify. On PostgreSQL the
 * server stays up (the service is what dies); amcheck checks every index instead of the pragma.
 */
async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianping-crash-'));
  const databasePath = path.join(dir, 'crash.sqlite');
  const databaseUrl = POSTGRES ? await createPostgresDatabase(startTestPostgres(), `bench_${process.pid}`) : undefined;
  const target = { databasePath, databaseUrl };
  const env = { ...process.env, DATA_DIR: dir, DATABASE_PATH: databasePath, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), HOST: '127.0.0.1', LOG_LEVEL: 'error', SCHEDULER_ENABLED: 'false', RATE_LIMIT_LOGIN: '1000000' };
  const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'dist/src/cli.js'), ...args], { env, encoding: 'utf8' });
  const seeded = cli('seed-demo');
  if (seeded.status !== 0) throw new Error(`could not prepare the database: ${seeded.stderr.slice(-2000)}`);
  const seats = await seedScoringMeetings(target, EVALUATORS);
  let url = '';
  let server: ChildProcess | null = null;
  // Each start takes a port free at that moment: the killed one's may have been handed out since
  // to an outgoing connection. Sessions live in the database, so the cookies work on any port.
  const start = async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [path.join(ROOT, 'dist/src/main.js')], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] });
    await waitForHealth(url, server);
  };

  await start();
  // Sessions live in the database: they outlive every kill, so each evaluator signs in once.
  const clients: Client[] = [];
  for (let i = 0; i < seats.length; i += 20) {
    clients.push(...(await Promise.all(seats.slice(i, i + 20).map(async (s) => ({ ...s, ...(await login(url, s.username, DEMO_PASSWORD)), version: 0, audited: false, submitted: false })))));
  }
  clients.forEach((c, i) => (c.audited = i % 4 === 0));
  const acknowledged = new Map<string, string>(); // "meeting:user:version" → sha256 of the answers sent
  let attempts = 0;
  let audited = 0;

  const save = async (c: Client, round: number): Promise<void> => {
    const answers = {
      factsClear: 'partly', evidenceSufficient: 'yes', keyFacts: `第${round}轮第${c.version + 1}版：${c.username}`,
      values: { forPeople: 1 + (c.version % 5), lawful: 4, fair: 4, efficient: 3 }, opinion: '事实基本清楚',
    };
    const action = !c.audited ? 'sheet' : c.submitted ? 'amend' : 'submit';
    attempts++;
    const res = await fetch(`${url}/api/meetings/${c.meetingId}/steps/facts/${action}`, {
      method: 'POST',
      headers: { cookie: c.cookie, 'x-csrf-token': c.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify({ version: c.version, answers, ...(action === 'amend' ? { reason: `第${round}轮复核` } : {}) }),
    });
    if (res.ok) {
      const body = (await res.json()) as { version: number };
      acknowledged.set(`${c.meetingId}:${c.username}:${body.version}`, hashOf(answers));
      c.version = body.version;
      if (action === 'submit') c.submitted = true;
      if (action !== 'sheet') audited++;
    } else if (res.status === 409) {
      // Saved but not answered before the kill: take the version and status the database has.
      const sheet = (await (await fetch(`${url}/api/meetings/${c.meetingId}/steps/facts/sheet`, { headers: { cookie: c.cookie } })).json()) as { sheet: { version: number; status: string } | null };
      c.version = sheet.sheet?.version ?? 0;
      c.submitted = sheet.sheet?.status === 'submitted';
    }
  };

  for (let kill = 1; kill <= KILLS; kill++) {
    let alive = true;
    const load = Promise.all(clients.map(async (c) => {
      while (alive) {
        try {
          await save(c, kill);
        } catch {
          return; // the connection died with the service
        }
      }
    }));
    const ackedBefore = acknowledged.size;
    await new Promise((r) => setTimeout(r, 300 + Math.random() * 1700));
    // A kill under load, not while the restarted service is still warming up: on a busy machine
    // the random moment alone sometimes fell before this round's first saves were answered.
    for (const deadline = Date.now() + 20_000; acknowledged.size - ackedBefore < MIN_ACKS_PER_ROUND && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 20));
    }
    server!.kill('SIGKILL');
    await new Promise((r) => server!.once('exit', r));
    alive = false;
    await load;
    await start();
    process.stdout.write(`kill ${kill}/${KILLS}: ${acknowledged.size} saves acknowledged so far\n`);
  }
  server!.kill('SIGTERM');
  await new Promise((r) => server!.once('exit', r));

  const db = await openDirectConnection(target);
  const stored = new Map<string, string>();
  for (const row of await db.all<{ meetingId: number; username: string; version: number; answers: string }>(`SELECT m.id AS meetingId, u.username, v.version, v.answers FROM score_sheet_version v JOIN score_sheet s ON s.id = v.sheetId
      JOIN evaluation_step st ON st.id = s.stepId JOIN meeting m ON m.id = st.meetingId JOIN user_account u ON u.evaluatorId = s.evaluatorId`)) {
    stored.set(`${row.meetingId}:${row.username}:${row.version}`, hashOf(JSON.parse(row.answers)));
  }
  const lost = [...acknowledged].filter(([key, hash]) => stored.get(key) !== hash).length;
  const [{ n: halfWritten }] = await db.all<{ n: number }>(`SELECT
      (SELECT COUNT(*) FROM score_sheet s WHERE NOT EXISTS (SELECT 1 FROM score_sheet_version v WHERE v.sheetId = s.id AND v.version = s.version))
    + (SELECT COUNT(*) FROM score_sheet_version v JOIN score_sheet s ON s.id = v.sheetId WHERE v.version > s.version) AS n`);
  const integrity = databaseUrl ? await indexesIntact(db) : (await db.all<{ integrity_check: string }>('PRAGMA integrity_check'))[0].integrity_check;
  await db.close();
  const chain = cli('verify-audit').status === 0 ? 'ok' : 'broken';
  if (databaseUrl) await dropPostgresDatabase(databaseUrl);
  fs.rmSync(dir, { recursive: true, force: true });
  const figures = { kills: KILLS, attempts, acknowledged: acknowledged.size, audited_acknowledged: audited, lost, half_written: Number(halfWritten), integrity, chain, database: databaseUrl ? 'postgres' : 'sqlite' };
  console.log(`${KILLS} kills under ${clients.length} writers: ${acknowledged.size} acknowledged saves, ${lost} lost, ${halfWritten} half-written, integrity ${integrity}, audit chain ${chain}`);
  console.log(JSON.stringify(figures));
  if (lost || halfWritten || integrity !== 'ok' || chain !== 'ok') process.exitCode = 1;
}

/** PostgreSQL's counterpart of integrity_check: amcheck over every B-tree index of the schema, with its heap. */
async function indexesIntact(db: DirectConnection): Promise<string> {
  await db.run('CREATE EXTENSION IF NOT EXISTS amcheck');
  const indexes = await db.all<{ name: string }>(`SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
    JOIN pg_namespace n ON n.oid = c.relnamespace WHERE a.amname = 'btree' AND n.nspname = 'public'`);
  try {
    for (const { name } of indexes) await db.run(`SELECT bt_index_check(('public.' || quote_ident(?))::regclass, true)`, [name]);
    return indexes.length ? 'ok' : 'no indexes';
  } catch (error) {
    return String((error as Error).message);
  }
}

/** SHA-256 of the answers with keys in sorted order, so the stored copy compares with the sent one. */
function hashOf(answers: unknown): string {
  const stable = (v: unknown): unknown => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])])) : v);
  return createHash('sha256').update(JSON.stringify(stable(answers))).digest('hex');
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
