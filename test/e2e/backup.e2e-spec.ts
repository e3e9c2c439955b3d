import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli';
import { BackupService } from '../../src/database/backup.service';
import { createTestApp, loginAs, TestApp } from '../support/create-test-app';
import { describeSqlite } from '../support/postgres';

const TABLES = ['audit_entry', 'session', 'evaluator', 'petition_case', 'user_account', 'department'];

describeSqlite('online backup and restore', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const counts = async (query: (sql: string) => Promise<{ n: number }[]>) =>
    Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, (await query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n])));

  it('backs up while writes go on, and restores onto a fresh machine with the same rows and an intact audit chain', async () => {
    const backups = t.app.get(BackupService);
    // One page per step, so the copy takes many turns of the event loop and the sign-ins' writes
    // (sessions, audit entries) land while it is under way.
    backups.pagesPerStep = 1;
    const [result] = await Promise.all([backups.backup(), ...Array.from({ length: 6 }, () => loginAs(t, 'staff'))]);
    expect(result.pages).toBeGreaterThan(50);
    expect(fs.existsSync(result.file)).toBe(true);
    const { default: Database } = await import('better-sqlite3');
    const copy = new Database(result.file, { readonly: true });
    const inBackup = await counts(async (sql) => [copy.prepare(sql).get() as { n: number }]);
    copy.close();
    expect(inBackup.audit_entry).toBeGreaterThan(0);

    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'tianping-restore-'));
    const env = { DATA_DIR: fresh, DATABASE_PATH: path.join(fresh, 'tianping.sqlite'), LOG_LEVEL: 'error' };
    expect(await runCli(['restore', result.file], env)).toBe(0);
    expect(await runCli(['restore', result.file], env)).toBe(2); // a database is there now: needs --force
    const restored = new Database(env.DATABASE_PATH, { readonly: true });
    const after = await counts(async (sql) => [restored.prepare(sql).get() as { n: number }]);
    restored.close();
    expect(after).toEqual(inBackup);
    expect(await runCli(['verify-audit'], env)).toBe(0);
    expect(await runCli(['restore', path.join(fresh, 'missing.sqlite')], env)).toBe(2);
  });

  it('keeps the newest seven backups and those within the retention period', () => {
    const backups = t.app.get(BackupService);
    fs.mkdirSync(backups.dir, { recursive: true });
    const old = Date.now() - 90 * 86_400_000;
    for (let i = 1; i <= 10; i++) {
      const file = path.join(backups.dir, `tianping-202601${String(i).padStart(2, '0')}-020000.sqlite`);
      fs.writeFileSync(file, 'x');
      fs.utimesSync(file, old / 1000, old / 1000);
    }
    const before = backups.list().length;
    const removed = backups.prune();
    expect(removed.length).toBe(before - 7);
    expect(backups.list()).toHaveLength(7);
  });
});
