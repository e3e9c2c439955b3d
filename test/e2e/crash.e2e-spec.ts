import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TEST_POSTGRES } from '../support/postgres';

const BENCH = path.resolve(__dirname, '../../dist/bench/crash.bench.js');

/**
 * The short version of `npm run bench:crash`: the built service (scripts/test.sh builds first)
 * killed with SIGKILL three times under 50 writers; nothing acknowledged may be missing. When the
 * suite runs on PostgreSQL, so does the service here (the database server stays up).
 */
describe('power cut under load', () => {
  it('loses no acknowledged save, writes nothing half-way, keeps the database and the audit chain intact', () => {
    // The spec runs the built service: a build older than the sources would test old code.
    const newest = (dir: string): number => Math.max(0, ...fs.readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).mtimeMs)));
    const fresh = fs.existsSync(BENCH) && fs.statSync(path.resolve(__dirname, '../../dist/src/main.js')).mtimeMs >= newest(path.resolve(__dirname, '../../src'));
    expect(fresh ? 'built from the current sources' : 'dist/ is missing or older than src/: run `npm run build` first').toBe('built from the current sources');
    const run = spawnSync(process.execPath, [BENCH], { env: { ...process.env, BENCH_KILLS: '3', BENCH_EVALUATORS: '50', ...(TEST_POSTGRES ? { BENCH_DATABASE: 'postgres' } : {}) }, encoding: 'utf8', timeout: 170_000 });
    const last = run.stdout.trim().split('\n').pop() ?? '';
    // Without its figures the bench failed on the way: show why (its error output, a timeout).
    const why = `no figures (exit ${run.status ?? run.signal}${run.error ? `, ${run.error.message}` : ''}); the bench's output ended with:\n${run.stdout.slice(-1500)}\n${run.stderr.slice(-3000)}`;
    expect(last.startsWith('{') ? 'figures printed' : why).toBe('figures printed');
    const figures = JSON.parse(last);
    expect(figures).toMatchObject({ kills: 3, lost: 0, half_written: 0, integrity: 'ok', chain: 'ok' });
    // Each kill came after at least MIN_ACKS_PER_ROUND (10) saves of its round were answered: fewer
    // means the service stopped answering saves, and nothing was tested.
    expect(figures.acknowledged).toBeGreaterThanOrEqual(3 * 10);
  }, 180_000);
});
