import * as net from 'node:net';
import { performance } from 'node:perf_hooks';
import { monthInZone } from '../src/common/time-format';
import { DEMO_PASSWORD } from '../src/demo/seed-demo';
import { openDirectConnection } from './direct-connection';
import { login, seedScoringMeetings, startServer } from './support';

const EVALUATORS = Number(process.env.BENCH_EVALUATORS ?? 200);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 30);
const RATE = Number(process.env.BENCH_RATE ?? 1500);
/** With a batch of decision PDFs rendering in the same service during the run (issue 5). */
const PDF_BATCH = process.env.BENCH_PDF_BATCH === '1';
const PDF_RESOLUTIONS = Number(process.env.BENCH_PDF_RESOLUTIONS ?? 60);
/** BENCH_DATABASE=postgres: on the throw-away PostgreSQL cluster, with BENCH_INSTANCES service processes sharing it. */
const POSTGRES = process.env.BENCH_DATABASE === 'postgres';
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 1);

/**
 * 200 evaluators with real sessions saving their fact-step score sheets over HTTP for 30 s
 * (the autosave path: validated, version-checked, every version kept, committed durably),
 * 1,500 saves a second offered in all; then every acknowledged save is looked up in the
 * database. On PostgreSQL the evaluators are spread evenly over the instances.
 */
async function main(): Promise<void> {
  if (INSTANCES > 1 && !POSTGRES) throw new Error('several instances need BENCH_DATABASE=postgres');
  const server = await startServer({ seedDemo: true, cli: PDF_BATCH ? [['evaluate-demo', String(PDF_RESOLUTIONS)]] : [], postgres: POSTGRES, instances: INSTANCES });
  try {
    const clients = await seedScoringMeetings(server, EVALUATORS);

    const sessions: { username: string; meetingId: number; cookie: string; csrfToken: string; version: number; target: URL }[] = [];
    for (let i = 0; i < clients.length; i += 20) {
      sessions.push(...(await Promise.all(clients.slice(i, i + 20).map(async (c, j) => {
        const url = server.urls[(i + j) % server.urls.length];
        return { ...c, ...(await login(url, c.username, DEMO_PASSWORD)), version: 0, target: new URL(url) };
      }))));
    }
    let acknowledged = 0;
    let staleVersion = 0;
    let errors = 0;
    const latencies: number[] = [];
    // A minimal keep-alive HTTP/1.1 client, one socket per evaluator: node:http's client costs
    // enough CPU to crowd the server on a two-core machine and inflate the latencies it measures.
    const sockets = new Map<(typeof sessions)[number], { socket: net.Socket; buffer: Buffer; waiting: ((status: number, body: string) => void) | null }>();
    const connect = (s: (typeof sessions)[number]) =>
      new Promise<void>((resolve) => {
        const socket = net.connect(Number(s.target.port), s.target.hostname, () => resolve());
        socket.setNoDelay(true);
        const state = { socket, buffer: Buffer.alloc(0), waiting: null as ((status: number, body: string) => void) | null };
        socket.on('data', (chunk: Buffer) => {
          state.buffer = Buffer.concat([state.buffer, chunk]);
          const end = state.buffer.indexOf('\r\n\r\n');
          if (end < 0) return;
          const head = state.buffer.subarray(0, end).toString('latin1');
          const length = Number(/content-length: *(\d+)/i.exec(head)?.[1] ?? 0);
          if (state.buffer.length < end + 4 + length) return;
          const body = state.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
          state.buffer = state.buffer.subarray(end + 4 + length);
          const done = state.waiting;
          state.waiting = null;
          done?.(Number(head.slice(9, 12)), body);
        });
        socket.on('error', () => state.waiting?.(0, ''));
        sockets.set(s, state);
      });
    for (let i = 0; i < sessions.length; i += 50) await Promise.all(sessions.slice(i, i + 50).map(connect));
    const save = (s: (typeof sessions)[number]) =>
      new Promise<void>((resolve) => {
        const state = sockets.get(s)!;
        const body = JSON.stringify({ version: s.version, answers: { factsClear: s.version % 2 ? 'yes' : 'partly', keyFacts: `第${s.version}次保存`, values: { forPeople: 4 } } });
        const t0 = performance.now();
        state.waiting = (status, text) => {
          latencies.push(performance.now() - t0);
          if (status === 200) {
            acknowledged++;
            s.version = (JSON.parse(text) as { version: number }).version;
          } else if (status === 409) staleVersion++;
          else errors++;
          resolve();
        };
        state.socket.write(
          `POST /api/meetings/${s.meetingId}/steps/facts/sheet HTTP/1.1\r\nHost: ${s.target.host}\r\nConnection: keep-alive\r\n` +
            `Cookie: ${s.cookie}\r\nX-CSRF-Token: ${s.csrfToken}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
      });
    // Each evaluator saves on a fixed cadence (an open loop, as autosaves arrive): RATE saves a
    // second in all, spread evenly; a save still running when its next turn comes delays it.
    const batch = PDF_BATCH ? await startPdfBatch(server.url) : null;
    const start = performance.now();
    const end = start + DURATION_S * 1000;
    const interval = (sessions.length / RATE) * 1000;
    await Promise.all(sessions.map(async (s, i) => {
      let due = start + (i * interval) / sessions.length;
      while (due < end) {
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        await save(s);
        due += interval;
      }
    }));
    for (const { socket } of sockets.values()) socket.destroy();
    latencies.sort((x, y) => x - y);
    const elapsed = (performance.now() - start) / 1000;
    const check = await openDirectConnection(server);
    const [{ n }] = await check.all<{ n: number | string }>(`SELECT COUNT(*) AS n FROM score_sheet_version v JOIN score_sheet s ON s.id = v.sheetId JOIN evaluation_step st ON st.id = s.stepId
      JOIN meeting m ON m.id = st.meetingId JOIN petition_case c ON c.id = m.caseId WHERE c.caseNumber LIKE 'BENCH-%'`);
    await check.close();
    const found = Number(n);
    console.log([50, 90, 95, 98, 99, 99.5, 99.9].map((q) => `p${q}=${latencies[Math.floor((latencies.length * q) / 100)].toFixed(1)}ms`).join(' '));
    const figures = {
      req_per_s: Math.round(latencies.length / elapsed),
      p50_ms: Math.round(latencies[Math.floor(latencies.length * 0.5)] * 10) / 10,
      p99_ms: Math.round(latencies[Math.floor(latencies.length * 0.99)] * 10) / 10,
      errors,
      acknowledged,
      found,
      evaluators: sessions.length,
      duration_s: DURATION_S,
      stale_version_409: staleVersion,
      offered_per_s: RATE,
      database: POSTGRES ? 'postgres' : 'sqlite',
      instances: server.urls.length,
      ...(batch ? await batch.progress() : {}),
    };
    console.log(`${sessions.length} evaluators saving score sheets for ${DURATION_S}s: ${figures.req_per_s}/s, p99 ${figures.p99_ms} ms, ${errors} errors, ${acknowledged} acknowledged, ${found} found`);
    console.log(JSON.stringify(figures));
    if (errors > 0 || found < acknowledged) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

/**
 * Starts the office's month batch (every adopted resolution's documents, rendered and zipped)
 * just before the load; returns how far it got, read when the load is over.
 */
async function startPdfBatch(url: string) {
  const staff = await login(url, 'staff', DEMO_PASSWORD);
  const month = monthInZone(new Date(), 'Asia/Shanghai');
  const headers = { cookie: staff.cookie, 'x-csrf-token': staff.csrfToken, 'content-type': 'application/json' };
  const started = await fetch(`${url}/api/documents/batches`, { method: 'POST', headers, body: JSON.stringify({ month }) });
  if (started.status !== 201) throw new Error(`could not start the PDF batch: ${started.status} ${await started.text()}`);
  const { id } = (await started.json()) as { id: string };
  const t0 = performance.now();
  return {
    progress: async () => {
      const job = (await (await fetch(`${url}/api/documents/batches/${id}`, { headers })).json()) as { status: string; documents: number; done: number; total: number };
      return { pdf_batch_status: job.status, pdf_resolutions_done: job.done, pdf_resolutions: job.total, pdf_documents: job.documents, pdf_batch_s: Math.round((performance.now() - t0) / 100) / 10 };
    },
  };
}

void main().catch((error) => {
  console.error(error);
  process.exit(1);
});
