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
  const env = { ...process.env, DATA_DIR: dir, DATABASE_PATH: databasePath, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' as const };
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
