import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { procStatField } from './proc-stat';

/** util-linux chrt, which sets a process's or a thread's scheduling policy (Linux). */
export const CHRT = ['/usr/bin/chrt', '/bin/chrt'].find((file) => fs.existsSync(file));

/** The name Node gives the threads of V8's platform pool (JIT compiler jobs, concurrent and parallel GC). */
const V8_HELPER = 'V8Worker';

/**
 * Puts V8's helper threads of this process under SCHED_IDLE: they then run only on a core no
 * request needs. On two cores, a batch of functions reaching the optimising compiler together
 * kept these threads busy for a whole core for 0.4 s, seven seconds into a steady load, and the
 * main thread lost the CPU to them: 70–290 saves over 25 ms each time. A GC pause joining them
 * is not held up, since the waiting main thread leaves its core free for them.
 *
 * Linux only; elsewhere, or without chrt, it does nothing. Returns how many threads it lowered.
 */
export async function idleHelperThreads(): Promise<number> {
  if (!CHRT || !fs.existsSync('/proc/self/task')) return 0;
  const helpers = fs.readdirSync('/proc/self/task').filter((tid) => threadName(tid) === V8_HELPER);
  const lowered = await Promise.all(helpers.map((tid) => new Promise<boolean>((resolve) =>
    execFile(CHRT, ['--idle', '-p', '0', tid], (error) => resolve(!error && runsIdle(process.pid, Number(tid)) === true)))));
  return lowered.filter(Boolean).length;
}

/**
 * Whether a process (or, with `task`, one of its threads) runs under SCHED_IDLE: policy 5,
 * field 41 of its stat. Null once it is gone.
 */
export function runsIdle(pid: number, task?: number): boolean | null {
  try {
    return procStatField(pid, 41, task) === '5';
  } catch {
    return null;
  }
}

function threadName(tid: string): string {
  try {
    return fs.readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}
