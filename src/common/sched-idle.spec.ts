import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { CHRT, idleHelperThreads, runsIdle } from './sched-idle';

const helperThreads = () => fs.readdirSync('/proc/self/task').filter((tid) => fs.readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() === 'V8Worker');

const idle = (tid: string) => runsIdle(process.pid, Number(tid));

describe('idleHelperThreads: V8 helper threads take only CPU no request needs', () => {
  // The test runner's own process: its helpers go back to the normal policy, so that the specs
  // run after this one in the same worker (timing-sensitive ones among them) are not affected.
  afterAll(() => {
    for (const tid of helperThreads()) execFileSync(CHRT!, ['--other', '-p', '0', tid]);
  });

  it('puts every V8 helper thread of the process under SCHED_IDLE and leaves the main thread alone', async () => {
    const helpers = helperThreads();
    expect(helpers.length).toBeGreaterThan(0);
    expect(helpers.some(idle)).toBe(false);

    expect(await idleHelperThreads()).toBe(helpers.length);

    expect(helperThreads().every(idle)).toBe(true);
    expect(idle(String(process.pid))).toBe(false);
  });
});
