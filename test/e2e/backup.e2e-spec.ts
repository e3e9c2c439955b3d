import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli';
import { BackupService } from '../../src/database/backup.service';
import { loadConfig } from '../../src/config/app-config';
import { openDatabase } from '../../src/database/data-source';
import { createTestApp, loginAs, TestApp } from '../support/create-test-app';
import { dropPostgresDatabase, freshPostgresDatabase } from '../support/postgres';

const TABLES = ['audit_entry', 'session', 'evaluator', 'petition_case', 'user_account', 'department'];

/** SQLite through its backup API; PostgreSQL through pg_dump and pg_restore (Debian's client tools). */
describe('online backup and restore', () => {
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
    const live = () => counts((sql) => t.dataSource.query(sql));
    const before = await live();
    const [result] = await Promise.all([backups.backup(), ...Array.from({ length: 6 }, () => loginAs(t, 'staff'))]);
    const afterWrites = await live();
    expect(result.pages).toBeGreaterThan(t.databaseUrl ? 20 : 50); // tables dumped, or pages copied
    expect(fs.existsSync(result.file)).toBe(true);

    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'tianping-restore-'));
    const env: Record<string, string> = { DATA_DIR: fresh, DATABASE_PATH: path.join(fresh, 'tianping.sqlite'), LOG_LEVEL: 'error' };
    if (t.databaseUrl) env.DATABASE_URL = await freshPostgresDatabase();
    try {
      expect(await runCli(['restore', result.file], env)).toBe(0);
      expect(await runCli(['restore', result.file], env)).toBe(2); // a database is there now: needs --force
      const restored = await openDatabase(loadConfig(env));
      const after = await counts((sql) => restored.query(sql));
      await restored.destroy();
      if (t.databaseUrl) {
        // A snapshot taken while the sign-ins wrote: no fewer rows than before it, no more than after.
        for (const table of TABLES) expect([table, after[table] >= before[table] && after[table] <= afterWrites[table]]).toEqual([table, true]);
      } else {
        const { default: Database } = await import('better-sqlite3');
        const copy = new Database(result.file, { readonly: true });
        expect(after).toEqual(await counts(async (sql) => [copy.prepare(sql).get() as { n: number }]));
        copy.close();
      }
      expect(after.audit_entry).toBeGreaterThan(0);
      expect(await runCli(['verify-audit'], env)).toBe(0);
      // Over an existing database only with --force, which keeps the old one under another name.
      expect(await runCli(['restore', result.file, '--force'], env)).toBe(0);
      expect(await runCli(['verify-audit'], env)).toBe(0);
      if (t.databaseUrl) {
        const again = await openDatabase(loadConfig(env));
        expect((await again.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'before_restore_%'`)).length).toBe(1);
        await again.destroy();
      } else {
        expect(fs.readdirSync(fresh).filter((f) => /^tianping\.sqlite\.before-restore-\d{8}-\d{6}$/.test(f))).toHaveLength(1);
      }
      // A backup of that database (which keeps the replaced one aside) restores over it in turn.
      expect(await runCli(['backup'], env)).toBe(0);
      const [again] = fs.readdirSync(path.join(fresh, 'backups')).filter((f) => /^tianping-\d{8}-\d{6}\.(sqlite|dump)$/.test(f));
      expect(await runCli(['restore', path.join(fresh, 'backups', again), '--force'], env)).toBe(0);
      expect(await runCli(['verify-audit'], env)).toBe(0);
      expect(await runCli(['restore', path.join(fresh, 'missing.sqlite')], env)).toBe(2);
      if (!t.databaseUrl) {
        // A backup is one file: no -wal, -shm or partial files are left beside it, or made by reading it.
        expect(fs.readdirSync(path.join(fresh, 'backups')).filter((f) => !/^tianping-\d{8}-\d{6}\.sqlite$/.test(f))).toEqual([]);
        // A file that is no database is refused in words, not a stack trace.
        fs.writeFileSync(path.join(fresh, 'notes.pdf'), '%PDF-1.7 会议纪要');
        expect(await runCli(['restore', path.join(fresh, 'notes.pdf'), '--force'], env)).toBe(1);
        // Not under a running service: it would go on writing to the database moved aside.
        fs.writeFileSync(path.join(fresh, 'service.pid'), String(process.ppid));
        expect(await runCli(['restore', path.join(fresh, 'backups', again), '--force'], env)).toBe(2);
        fs.rmSync(path.join(fresh, 'service.pid'));
      }
    } finally {
      if (env.DATABASE_URL) await dropPostgresDatabase(env.DATABASE_URL);
    }
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
