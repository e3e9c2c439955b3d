import * as fs from 'node:fs';
import { idleHelperThreads, isIdleThread } from './idle-helper-threads';

const helperThreads = () => fs.readdirSync('/proc/self/task').filter((tid) => fs.readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim() === 'V8Worker');

describe('idleHelperThreads: V8 helper threads take only CPU no request needs', () => {
  it('puts every V8 helper thread of the process under SCHED_IDLE and leaves the main thread alone', async () => {
    const helpers = helperThreads();
    expect(helpers.length).toBeGreaterThan(0);
    expect(helpers.some(isIdleThread)).toBe(false);

    expect(await idleHelperThreads()).toBe(helpers.length);

    expect(helperThreads().every(isIdleThread)).toBe(true);
    expect(isIdleThread(String(process.pid))).toBe(false);
  });
});
