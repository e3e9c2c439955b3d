import { Injectable, Logger } from '@nestjs/common';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { isoInZone } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { dialectOf } from './dialect';
import { rawConnection } from './raw-rows';

/**
 * Online backups, daily at BACKUP_TIME, kept BACKUP_KEEP_DAYS days. SQLite: its backup API on
 * the service's own connection, pages copied in steps between requests while writes go on, the
 * copy a consistent snapshot (a file copy of a live WAL database is not). PostgreSQL: pg_dump.
 */
@Injectable()
export class BackupService {
  private readonly logger = new Logger('BackupService');
  /** Pages copied per step of the online backup (1 MiB); specs lower it to see writes interleave. */
  pagesPerStep = 256;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  get dir(): string {
    return path.join(this.config.dataDir, 'backups');
  }

  /** Writes a backup file and checks it; returns its path and size. */
  async backup(): Promise<{ file: string; bytes: number; pages: number }> {
    fs.mkdirSync(this.dir, { recursive: true });
    const stamp = isoInZone(this.clock.now(), this.config.APP_TIMEZONE).slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    if (dialectOf(this.dataSource) === 'postgres') return this.dump(path.join(this.dir, `tianping-${stamp}.dump`));
    const file = path.join(this.dir, `tianping-${stamp}.sqlite`);
    // A name of its own while it is being written: another instance may be backing up this second too.
    const partial = `${file}.${randomBytes(4).toString('hex')}.partial`;
    try {
      // 256 pages (1 MiB) per step, then back to the event loop: requests keep being served.
      const result = await rawConnection(this.dataSource).backup(partial, { progress: () => this.pagesPerStep });
      const { default: Database } = await import('better-sqlite3');
      const check = new Database(partial);
      try {
        // One self-contained file: out of WAL mode, so neither this check nor a later read of the
        // backup leaves -wal and -shm files beside it (the service puts a restored copy back in WAL).
        check.pragma('journal_mode = DELETE');
        const verdict = (check.prepare('PRAGMA quick_check').get() as { quick_check: string }).quick_check;
        if (verdict !== 'ok') throw new Error(`backup failed its check: ${verdict}`);
      } finally {
        check.close();
      }
      fs.renameSync(partial, file);
      return { file, bytes: fs.statSync(file).size, pages: result.totalPages };
    } finally {
      for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${partial}${suffix}`, { force: true });
    }
  }

  /**
   * PostgreSQL: pg_dump's custom format, taken inside one snapshot while writes go on (pg_dump
   * runs as its own process, so the service keeps serving), then read back by pg_restore --list
   * before it is kept. The pg_dump on PATH must be as new as the server (Debian's
   * postgresql-client of the same major version).
   */
  private async dump(file: string): Promise<{ file: string; bytes: number; pages: number }> {
    const partial = `${file}.${randomBytes(4).toString('hex')}.partial`;
    try {
      // Not the schemas an earlier `restore --force` kept aside: a dump holds the live data only.
      await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--exclude-schema=${KEPT_PREFIX}*`, `--file=${partial}`, `--dbname=${this.config.DATABASE_URL}`]);
      const contents = await run('pg_restore', ['--list', partial]);
      const tables = contents.split('\n').filter((line) => / TABLE DATA /.test(line)).length;
      if (tables === 0) throw new Error('backup failed its check: no table data in the dump');
      fs.renameSync(partial, file);
      return { file, bytes: fs.statSync(file).size, pages: tables };
    } finally {
      fs.rmSync(partial, { force: true });
    }
  }

  /** Deletes backups older than BACKUP_KEEP_DAYS, always keeping the newest seven. */
  prune(): string[] {
    if (!fs.existsSync(this.dir)) return [];
    const files = fs.readdirSync(this.dir).filter((f) => BACKUP_NAME.test(f)).sort().reverse();
    const limit = this.clock.now().getTime() - this.config.BACKUP_KEEP_DAYS * 86_400_000;
    const removed = files.slice(7).filter((f) => fs.statSync(path.join(this.dir, f)).mtimeMs < limit);
    for (const f of removed) fs.rmSync(path.join(this.dir, f));
    if (removed.length) this.logger.log(`removed ${removed.length} backups older than ${this.config.BACKUP_KEEP_DAYS} days`);
    return removed;
  }

  list(): { name: string; bytes: number; at: number }[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs.readdirSync(this.dir).filter((f) => BACKUP_NAME.test(f)).sort().reverse().map((name) => {
      const stat = fs.statSync(path.join(this.dir, name));
      return { name, bytes: stat.size, at: stat.mtimeMs };
    });
  }
}

/**
 * Puts a pg_dump backup into the PostgreSQL database of DATABASE_URL. A database that already
 * holds Tianping's tables is refused unless `force`, and then kept: its schema is renamed, not
 * dropped. Returns the kept schema's name, if any.
 */
export async function restorePostgresDump(url: string, file: string, force: boolean, now: Date): Promise<{ kept: string | null }> {
  await run('pg_restore', ['--list', file]);
  const { Client } = await import('pg');
  const client = new Client({ connectionString: url });
  await client.connect();
  let kept: string | null = null;
  try {
    const { rows } = await client.query(`SELECT to_regclass('public.schema_migrations') IS NOT NULL AS used`);
    if (rows[0].used) {
      if (!force) throw new RestoreRefused();
      kept = `${KEPT_PREFIX}${now.toISOString().replace(/\D/g, '').slice(0, 14)}_${randomBytes(3).toString('hex')}`;
      await client.query(`ALTER SCHEMA public RENAME TO ${kept}`);
      await client.query(`CREATE SCHEMA public`);
    }
    try {
      await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction', `--dbname=${url}`, file]);
    } catch (error) {
      // Nothing was restored (one transaction): put the database back as it was.
      if (kept) {
        await client.query(`DROP SCHEMA public CASCADE`);
        await client.query(`ALTER SCHEMA ${kept} RENAME TO public`);
      }
      throw error;
    }
  } finally {
    await client.end();
  }
  return { kept };
}

/** Schemas a forced restore keeps the replaced data in. */
const KEPT_PREFIX = 'before_restore_';

/** The target database already holds Tianping's tables, and --force was not given. */
export class RestoreRefused extends Error {}

/** Backup files: SQLite copies and PostgreSQL dumps, named by their local time. */
const BACKUP_NAME = /^tianping-\d{8}-\d{6}\.(sqlite|dump)$/;

/** Runs a PostgreSQL client tool; its standard output, or an error carrying its message. */
async function run(command: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(command, args, { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { code?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new Error(`${command} is not installed (Debian: apt-get install postgresql-client)`);
    throw new Error(`${command} failed: ${(e.stderr || e.message).trim()}`);
  }
}
