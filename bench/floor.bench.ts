import { fork } from 'node:child_process';
import * as http from 'node:http';
import { performance } from 'node:perf_hooks';
import { freezeFigures, freezeFromEnv, mainThreadCpuMs, pacedLoad, quantile } from './paced-load';

const CLIENTS = Number(process.env.BENCH_EVALUATORS ?? 200);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 30);
const RATE = Number(process.env.BENCH_RATE ?? 1500);
const LEVELS = (process.env.BENCH_FLOOR_LEVELS ?? '0,0.2,0.3,0.4,0.5').split(',').map(Number);

/**
 * What this machine allows: bench:scores' own client and cadence (200 keep-alive clients,
 * 1,500 requests a second for 30 s) against a bare node:http server in its own process that
 * spends a fixed CPU time on each request (a busy loop) and answers like the autosave route.
 * One run per level of work; for each, the latencies and the server's main-thread CPU per
 * request (the busy loop plus Node's own HTTP handling). Set beside bench:scores'
 * `service_cpu_ms_per_save`, it shows how much work a request may cost here for a 25 ms p99.
 */
async function main(): Promise<void> {
  const levels = [];
  for (const workMs of LEVELS) {
    const server = fork(__filename, ['serve', String(workMs)]);
    try {
      const port = await new Promise<number>((resolve) => server.once('message', (m) => resolve(Number(m))));
      const target = new URL(`http://127.0.0.1:${port}`);
      const clients = Array.from({ length: CLIENTS }, () => ({ version: 0 }));
      const cpuBefore = mainThreadCpuMs(server.pid!);
      const load = await pacedLoad(clients, {
        rate: RATE,
        durationS: DURATION_S,
        target: () => target,
        request: (c) => {
          const body = JSON.stringify({ version: c.version, answers: { factsClear: 'yes', keyFacts: `第${c.version}次保存`, values: { forPeople: 4 } } });
          return `POST /api/meetings/1/steps/facts/sheet HTTP/1.1\r\nHost: ${target.host}\r\nConnection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
        },
        onResponse: (c, status, body) => {
          if (status === 200) c.version = (JSON.parse(body) as { version: number }).version;
        },
        // BENCH_FREEZE_MS: the bare server stopped at each 10 s mark, as in bench:scores.
        ...freezeFromEnv([server.pid!]),
      });
      const cpuMs = mainThreadCpuMs(server.pid!) - cpuBefore;
      const level = {
        work_ms: workMs,
        server_cpu_ms_per_request: Math.round((cpuMs / load.latencies.length) * 1000) / 1000,
        req_per_s: Math.round(load.latencies.length / load.elapsedS),
        p50_ms: quantile(load.latencies, 0.5),
        p99_ms: quantile(load.latencies, 0.99),
        p99_after_5s_ms: load.p99AfterWarmMs,
        over_25ms_first_5s: load.slowEarly,
        over_25ms_after: load.slowLater,
        steal_pct: load.stealPct,
        ...freezeFigures(load),
      };
      console.log(JSON.stringify(level));
      levels.push(level);
    } finally {
      server.kill();
    }
  }
  console.log(JSON.stringify({ clients: CLIENTS, offered_per_s: RATE, duration_s: DURATION_S, levels }));
}

/** The bare server: reads the body, spends `workMs` of CPU, answers with the next version. */
function serve(workMs: number): void {
  http
    .createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const t0 = performance.now();
        while (performance.now() - t0 < workMs) {
          /* the work a real handler would do */
        }
        const { version } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { version: number };
        const out = JSON.stringify({ id: 1, status: 'draft', version: version + 1, updatedAt: Date.now() });
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(out) });
        res.end(out);
      });
    })
    .listen(0, '127.0.0.1', function (this: http.Server) {
      process.send!(String((this.address() as { port: number }).port));
    });
}

if (process.argv[2] === 'serve') serve(Number(process.argv[3]));
else
  void main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
