import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AuditChainService } from '../../src/audit/audit-chain.service';
import { runCli } from '../../src/cli';
import { Clock } from '../../src/common/clock';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { openDatabase } from '../../src/database/data-source';
import { UnitOfWork } from '../../src/database/unit-of-work';
import { createTestApp, loginAs, TestApp } from '../support/create-test-app';
import { openDirectConnection } from '../../bench/direct-connection';

/**
 * Someone with the database in hand — who can drop the append-only triggers (or, on PostgreSQL,
 * switch them off for their session) — edits, deletes, reorders or truncates entries; the
 * verifier names the first bad entry each time.
 */
describe('the audit hash chain', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    t = await createTestApp();
    for (let i = 0; i < 3; i++) await loginAs(t, 'staff');
    await loginAs(t, 'auditor');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tianping-chain-'));
  });
  afterAll(() => t.close());

  /**
   * SQLite: a copy of the live database with some statements run against it, then verified from
   * scratch. PostgreSQL: the live database itself, through a connection with triggers off; the
   * log is put back after the test.
   */
  let restore: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await restore?.();
    restore = null;
  });
  async function tampered(name: string, sql: string[]): Promise<{ verdict: Awaited<ReturnType<AuditChainService['verify']>>; env: Record<string, string> }> {
    if (t.databaseUrl) {
      const other = await openDirectConnection(t, { triggersOff: true });
      await other.run(`CREATE TABLE audit_saved AS SELECT * FROM audit_entry`);
      restore = async () => {
        await other.run(`DELETE FROM audit_entry`);
        await other.run(`INSERT INTO audit_entry SELECT * FROM audit_saved`);
        await other.run(`DROP TABLE audit_saved`);
        await other.close();
      };
      for (const statement of sql.filter((s) => !s.startsWith('DROP TRIGGER'))) await other.run(statement);
      return { verdict: await new AuditChainService(t.dataSource, new Clock(), t.app.get(AppConfig)).verify(), env: { DATA_DIR: dir, DATABASE_URL: t.databaseUrl, LOG_LEVEL: 'error' } };
    }
    const file = path.join(dir, `${name}.sqlite`);
    await t.dataSource.query(`VACUUM INTO '${file}'`);
    // The copy's own file, the live data folder (archive files, published heads).
    const config = loadConfig({ DATA_DIR: t.app.get(AppConfig).dataDir, DATABASE_PATH: file, LOG_LEVEL: 'error' });
    const ds = await openDatabase(config);
    try {
      for (const statement of sql) await ds.query(statement);
      return { verdict: await new AuditChainService(ds, new Clock(), config).verify(), env: { DATA_DIR: dir, DATABASE_PATH: file, LOG_LEVEL: 'error' } };
    } finally {
      await ds.destroy();
    }
  }

  const ids = async () => (await t.dataSource.query(`SELECT id FROM audit_entry ORDER BY id`)).map((r: { id: number }) => r.id) as number[];

  it('verifies the log as written, from the auditor page, the API and the CLI', async () => {
    const verdict = await t.app.get(AuditChainService).verify();
    expect(verdict).toMatchObject({ ok: true, entries: (await ids()).length });
    const auditor = await loginAs(t, 'auditor');
    expect((await auditor.get('/audit/chain')).text).toContain('完整。');
    // With a published head listed (its `day` once met a template helper of that name).
    await t.app.get(UnitOfWork).run(async (m) => t.app.get(AuditChainService).exportHead(m, '2026-11-20'));
    const listed = await auditor.get('/audit/chain');
    expect([listed.status, listed.text.includes('<td>2026-11-20</td>')]).toEqual([200, true]);
    expect((await auditor.get('/api/audit/chain')).body.ok).toBe(true);
    const { env } = await tampered('intact', []);
    expect(await runCli(['verify-audit'], env)).toBe(0);
  });

  it('refuses rewriting through the service’s own connection', async () => {
    await expect(t.dataSource.query(`UPDATE audit_entry SET summary = 'x'`)).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`INSERT INTO audit_entry (at, atText, actorName, actorRole, action, entityType, summary, ip, requestId) VALUES (1, 't', 'x', 'x', 'x', 'x', 'x', 'x', 'x')`)).rejects.toThrow(/chained/);
  });

  it('names an edited entry', async () => {
    const [, , third] = await ids();
    const { verdict, env } = await tampered('edited', [`DROP TRIGGER tr_audit_entry_no_update`, `UPDATE audit_entry SET summary = '改写的内容' WHERE id = ${third}`]);
    expect(verdict).toMatchObject({ ok: false, firstBadId: third, reason: expect.stringContaining('内容被改动') });
    expect(await runCli(['verify-audit'], env)).toBe(1);
  });

  it('names the entry after a deleted one', async () => {
    const list = await ids();
    const { verdict } = await tampered('deleted', [`DROP TRIGGER tr_audit_entry_no_delete`, `DELETE FROM audit_entry WHERE id = ${list[3]}`]);
    expect(verdict).toMatchObject({ ok: false, firstBadId: list[4] });
  });

  it('catches two entries swapped', async () => {
    const [, a, b] = await ids();
    const cols = 'at, atText, actorId, actorName, actorRole, action, entityType, entityId, summary, before, after, ip, requestId, prevHash, hash';
    const { verdict } = await tampered('reordered', [
      `DROP TRIGGER tr_audit_entry_no_update`,
      `CREATE TEMP TABLE keep AS SELECT * FROM audit_entry WHERE id IN (${a}, ${b})`,
      `UPDATE audit_entry SET (${cols}) = (SELECT ${cols} FROM keep WHERE keep.id = ${b}) WHERE id = ${a}`,
      `UPDATE audit_entry SET (${cols}) = (SELECT ${cols} FROM keep WHERE keep.id = ${a}) WHERE id = ${b}`,
    ]);
    expect(verdict).toMatchObject({ ok: false, firstBadId: a });
  });

  it('archives entries older than six calendar months; the rest verifies from the archive point, the archive is checked too', async () => {
    const chain = t.app.get(AuditChainService);
    const before = (await ids()).length;
    expect(await t.app.get(UnitOfWork).run(async (m) => chain.archiveOld(m))).toEqual({ entries: 0, file: null });
    t.clock.advance(200 * 86_400_000); // more than six months on
    await loginAs(t, 'staff'); // a fresh entry, which stays
    const archived = await t.app.get(UnitOfWork).run(async (m) => chain.archiveOld(m));
    expect(archived.entries).toBe(before);
    expect((await ids()).length).toBe(1);
    expect(await chain.verify()).toMatchObject({ ok: true, entries: 1, archives: 1 });
    await expect(t.dataSource.query(`DELETE FROM audit_entry`)).rejects.toThrow(/append-only/);
    fs.appendFileSync(archived.file!, ' ');
    expect(await chain.verify()).toMatchObject({ ok: false, reason: expect.stringContaining('内容与归档记录不符') });
    fs.writeFileSync(archived.file!, fs.readFileSync(archived.file!, 'utf8').slice(0, -1));
    expect((await chain.verify()).ok).toBe(true);
  });

  it('catches truncation against the published daily head', async () => {
    for (let i = 0; i < 3; i++) await loginAs(t, 'auditor');
    await t.app.get(UnitOfWork).run(async (m) => t.app.get(AuditChainService).exportHead(m, '2026-11-21'));
    expect(fs.existsSync(path.join(t.app.get(AppConfig).dataDir, 'audit-heads', '2026-11-21.json'))).toBe(true);
    const list = await ids();
    const { verdict } = await tampered('truncated', [`DROP TRIGGER tr_audit_entry_no_delete`, `DELETE FROM audit_entry WHERE id >= ${list[list.length - 2]}`]);
    expect(verdict).toMatchObject({ ok: false, firstBadId: list[list.length - 1], reason: expect.stringContaining('截断') });
  });
});
