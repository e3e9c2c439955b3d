import * as fs from 'node:fs';
import * as net from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { procStatField } from '../src/common/proc-stat';

/** One request of a client, as raw HTTP/1.1 text (keep-alive). */
export type RawRequest = string;

export interface PacedLoadResult {
  /** Every request's latency in ms, sorted. */
  latencies: number[];
  /** Of requests sent in the first `warmS` seconds / after them: how many took over `slowMs`. */
  slowEarly: number;
  slowLater: number;
  /** p99 of the requests sent after the first `warmS` seconds. */
  p99AfterWarmMs: number;
  elapsedS: number;
  /**
   * The share of the machine's CPU time the hypervisor gave to other guests during the load
   * (steal, in %): on a shared host it is what the service lost besides its own work.
   */
  stealPct: number;
  /**
   * Second by second of the load: how many requests sent then took over `slowMs`; the machine's
   * steal and I/O wait then (% of its CPU time); and this process's longest event-loop delay
   * (ms), since a client that stalls inflates the latencies it measures.
   */
  seconds: { slow: number; stealPct: number; iowaitPct: number; clientDelayMs: number }[];
  /**
   * The freezes injected (`freeze`): when (ms into the load), how long the server was stopped in
   * all, the requests each made slow, and, for a single stop, the least any server could manage:
   * the requests sent while it held, less the first `slowMs` of it (those could still be answered
   * in time); at most one per client, since a client waits for its answer before it sends again.
   */
  freezes: { atMs: number; ms: number; slow: number; floor: number }[];
}

export interface LoadOptions<C> {
  rate: number;
  durationS: number;
  target: (client: C) => URL;
  request: (client: C) => RawRequest;
  onResponse: (client: C, status: number, body: string) => void;
  /** Requests sent in the first `warmS` seconds are counted apart (slowEarly). */
  warmS?: number;
  slowMs?: number;
  /**
   * Stops the server processes (SIGSTOP, then SIGCONT) for `ms` at each 10 s mark of the load:
   * what a host that takes the CPU away for a moment does to them. With `everyMs` and `forMs`,
   * the stop is repeated every `everyMs` for `forMs` (20 ms every 100 ms: a fifth of the CPU
   * taken, as a burst of steal does). Slow requests sent from 25 ms before a freeze to 1 s after
   * it are counted as its own.
   */
  freeze?: Freeze;
}

/**
 * An open-loop load: one keep-alive socket per client, each sending on a fixed cadence, `rate`
 * requests a second in all, spread evenly; a request still running when its next turn comes
 * delays it. A minimal HTTP/1.1 client: node:http's costs enough CPU to crowd the server on a
 * two-core machine and inflate the latencies it measures.
 *
 * BENCH_TRACE=<file> writes every request's [start offset ms, latency ms], for a timeline.
 */
export async function pacedLoad<C>(clients: C[], options: LoadOptions<C>): Promise<PacedLoadResult> {
  const { warmS = 5, slowMs = 25 } = options;
  const sockets = new Map<C, { socket: net.Socket; buffer: Buffer; waiting: ((status: number, body: string) => void) | null }>();
  const connect = (client: C) =>
    new Promise<void>((resolve) => {
      const target = options.target(client);
      const socket = net.connect(Number(target.port), target.hostname, () => resolve());
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
      sockets.set(client, state);
    });
  for (let i = 0; i < clients.length; i += 50) await Promise.all(clients.slice(i, i + 50).map(connect));

  const trace: [number, number][] = [];
  let start = 0;
  const send = (client: C) =>
    new Promise<void>((resolve) => {
      const state = sockets.get(client)!;
      const t0 = performance.now();
      state.waiting = (status, body) => {
        trace.push([t0 - start, performance.now() - t0]);
        options.onResponse(client, status, body);
        resolve();
      };
      state.socket.write(options.request(client));
    });
  const ticksBefore = machineTicks();
  // Each second's steal, I/O wait and client stall: a 30 s average hides a burst that makes the tail on its own.
  const ticks = [ticksBefore];
  const clientDelays: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const sample = () => {
    ticks.push(machineTicks());
    clientDelays.push(loop.max / 1e6);
    loop.reset();
  };
  const sampler = setInterval(sample, 1000);
  start = performance.now();
  const end = start + options.durationS * 1000;
  const frozen = options.freeze ? scheduleFreezes(options.freeze, start, options.durationS) : [];
  const interval = (clients.length / options.rate) * 1000;
  await Promise.all(clients.map(async (client, i) => {
    let due = start + (i * interval) / clients.length;
    while (due < end) {
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      await send(client);
      due += interval;
    }
  }));
  const elapsedS = (performance.now() - start) / 1000;
  clearInterval(sampler);
  const freezes = await Promise.all(frozen);
  if (elapsedS * 1000 > (ticks.length - 1) * 1000 + 100) sample(); // the last, partial second
  loop.disable();
  const ticksAfter = ticks[ticks.length - 1];
  for (const { socket } of sockets.values()) socket.destroy();
  if (process.env.BENCH_TRACE) fs.writeFileSync(process.env.BENCH_TRACE, JSON.stringify(trace));

  const later = trace.filter(([at]) => at >= warmS * 1000).map(([, ms]) => ms).sort((x, y) => x - y);
  const slowBySecond = ticks.slice(1).map(() => 0);
  for (const [at, ms] of trace) if (ms > slowMs) slowBySecond[Math.min(slowBySecond.length - 1, Math.floor(at / 1000))]++;
  return {
    latencies: trace.map(([, ms]) => ms).sort((x, y) => x - y),
    slowEarly: trace.filter(([at, ms]) => at < warmS * 1000 && ms > slowMs).length,
    slowLater: later.filter((ms) => ms > slowMs).length,
    p99AfterWarmMs: quantile(later, 0.99),
    elapsedS,
    stealPct: sharePct(ticksBefore, ticksAfter, 'steal'),
    freezes: freezes.map((f) => ({
      ...f,
      slow: trace.filter(([at, ms]) => at >= f.atMs - slowMs && at < f.atMs + (options.freeze?.forMs ?? 0) + 1000 && ms > slowMs).length,
      floor: options.freeze?.everyMs ? 0 : Math.min(clients.length, Math.round((Math.max(0, f.ms - slowMs) * options.rate) / 1000)),
    })),
    seconds: ticks.slice(1).map((t, i) => ({
      slow: slowBySecond[i],
      stealPct: sharePct(ticks[i], t, 'steal'),
      iowaitPct: sharePct(ticks[i], t, 'iowait'),
      clientDelayMs: Math.round(clientDelays[i] * 10) / 10,
    })),
  };
}

/**
 * The freezes at each 10 s mark of the load; each resolves to when it began (ms into the load)
 * and how long it held. A worker thread holds each one (stop, a precise sleep, continue), so
 * this client goes on sending and reading while the server is stopped, and its own timers'
 * lateness under load does not lengthen the freeze.
 */
function scheduleFreezes(freeze: Freeze, start: number, durationS: number): Promise<{ atMs: number; ms: number }>[] {
  const marks = Array.from({ length: Math.ceil(durationS / 10) - 1 }, (_, i) => (i + 1) * 10_000);
  return marks.map((mark) => new Promise((resolve, reject) => {
    setTimeout(() => {
      const worker = new Worker(FREEZER, { eval: true, workerData: freeze });
      worker.once('message', ([t0, stopped]: [number, number]) => resolve({ atMs: Math.round(t0 - performance.timeOrigin - start), ms: Math.round(stopped) }));
      worker.once('error', reject);
    }, Math.max(0, start + mark - performance.now()));
  }));
}

const FREEZER = `
  const { workerData, parentPort } = require('node:worker_threads');
  const { performance } = require('node:perf_hooks');
  const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Math.max(0, ms));
  const { pids, ms, everyMs = 0, forMs = 0 } = workerData;
  // A server that has exited is passed over: the others must never be left stopped.
  const signal = (name) => pids.forEach((pid) => { try { process.kill(pid, name); } catch {} });
  const t0 = performance.now();
  let stopped = 0;
  // One stop, or one every everyMs for as long as forMs holds whole stops.
  const count = everyMs > 0 ? Math.max(1, Math.floor((forMs - ms) / everyMs) + 1) : 1;
  for (let k = 0; k < count; k++) {
    sleep(t0 + k * everyMs - performance.now());
    const s = performance.now();
    signal('SIGSTOP');
    sleep(ms);
    signal('SIGCONT');
    stopped += performance.now() - s;
  }
  // Its clock starts with the worker: sent as wall-clock milliseconds.
  parentPort.postMessage([performance.timeOrigin + t0, stopped]);
`;

export interface Freeze {
  pids: number[];
  ms: number;
  everyMs?: number;
  forMs?: number;
}

/**
 * The freeze asked for in the environment, if any: BENCH_FREEZE_MS (the stop's length), and to
 * repeat it BENCH_FREEZE_EVERY_MS and BENCH_FREEZE_FOR_MS.
 */
export function freezeFromEnv(pids: number[]): { freeze?: Freeze } {
  const ms = Number(process.env.BENCH_FREEZE_MS ?? 0);
  if (!(ms > 0)) return {};
  return { freeze: { pids, ms, everyMs: Number(process.env.BENCH_FREEZE_EVERY_MS ?? 0), forMs: Number(process.env.BENCH_FREEZE_FOR_MS ?? 0) } };
}

/** The figures of injected freezes, none without: how long each held, the requests it made slow, and the floor for those. */
export function freezeFigures(load: PacedLoadResult) {
  if (!load.freezes.length) return {};
  return {
    freeze_ms: load.freezes.map((f) => f.ms),
    slow_per_freeze: load.freezes.map((f) => f.slow),
    ...(load.freezes.some((f) => f.floor) ? { slow_per_freeze_floor: load.freezes.map((f) => f.floor) } : {}),
  };
}

/** The value at quantile q of sorted values, to 0.1. */
export function quantile(sorted: number[], q: number): number {
  return Math.round((sorted[Math.floor(sorted.length * q)] ?? 0) * 10) / 10;
}

/** CPU time (user + system) of a process's main thread so far, in ms (Linux /proc). */
export function mainThreadCpuMs(pid: number): number {
  const ticks = Number(procStatField(pid, 14, pid)) + Number(procStatField(pid, 15, pid));
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** The machine's CPU time so far: all of it, the part stolen by the hypervisor and the part idle waiting for I/O, in ticks (Linux /proc/stat). */
export function machineTicks(): { steal: number; iowait: number; total: number } {
  // user nice system idle iowait irq softirq steal (guest time is counted in user and nice already)
  const ticks = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  return { steal: ticks[7], iowait: ticks[4], total: ticks.reduce((sum, t) => sum + t, 0) };
}

type MachineTicks = ReturnType<typeof machineTicks>;

/** The share of the machine's CPU time spent stolen (or waiting for I/O) between two readings of machineTicks, in % to 0.1. */
export function sharePct(before: MachineTicks, after: MachineTicks, field: 'steal' | 'iowait'): number {
  return Math.round((1000 * (after[field] - before[field])) / Math.max(1, after.total - before.total)) / 10;
}
