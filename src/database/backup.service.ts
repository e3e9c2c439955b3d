import { Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { isoInZone } from '../common/time-format';
import { AppConfig } from '../config/app-config';
import { dialectOf } from './dialect';
import { rawConnection } from './raw-rows';

/**
 * Online backups through SQLite's backup API on the service's own connection: pages are copied
 * in steps between requests, writes go on meanwhile, and the copy is a consistent snapshot (a
 * file copy of a live WAL database is not). Daily at BACKUP_TIME, kept BACKUP_KEEP_DAYS days.
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

  /**
   * Whether this service backs the database up itself: on SQLite, yes; a PostgreSQL server is
   * backed up by its own tools (pg_dump, pg_basebackup with WAL archiving), run by its operator.
   */
  get supported(): boolean {
    return dialectOf(this.dataSource) === 'sqlite';
  }

  get dir(): string {
    return path.join(this.config.dataDir, 'backups');
  }

  /** Writes a backup file and checks it; returns its path and size. */
  async backup(): Promise<{ file: string; bytes: number; pages: number }> {
    fs.mkdirSync(this.dir, { recursive: true });
    const stamp = isoInZone(this.clock.now(), this.config.APP_TIMEZONE).slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    const file = path.join(this.dir, `tianping-${stamp}.sqlite`);
    // A name of its own while it is being written: another instance may be backing up this second too.
    const partial = `${file}.${randomBytes(4).toString('hex')}.partial`;
    try {
      // 256 pages (1 MiB) per step, then back to the event loop: requests keep being served.
      const result = await rawConnection(this.dataSource).backup(partial, { progress: () => this.pagesPerStep });
      const { default: Database } = await import('better-sqlite3');
      const check = new Database(partial, { readonly: true });
      try {
        const verdict = (check.prepare('PRAGMA quick_check').get() as { quick_check: string }).quick_check;
        if (verdict !== 'ok') throw new Error(`backup failed its check: ${verdict}`);
      } finally {
        check.close();
      }
      fs.renameSync(partial, file);
      return { file, bytes: fs.statSync(file).size, pages: result.totalPages };
    } finally {
      fs.rmSync(partial, { force: true });
    }
  }

  /** Deletes backups older than BACKUP_KEEP_DAYS, always keeping the newest seven. */
  prune(): string[] {
    if (!fs.existsSync(this.dir)) return [];
    const files = fs.readdirSync(this.dir).filter((f) => /^tianping-\d{8}-\d{6}\.sqlite$/.test(f)).sort().reverse();
    const limit = this.clock.now().getTime() - this.config.BACKUP_KEEP_DAYS * 86_400_000;
    const removed = files.slice(7).filter((f) => fs.statSync(path.join(this.dir, f)).mtimeMs < limit);
    for (const f of removed) fs.rmSync(path.join(this.dir, f));
    if (removed.length) this.logger.log(`removed ${removed.length} backups older than ${this.config.BACKUP_KEEP_DAYS} days`);
    return removed;
  }

  list(): { name: string; bytes: number; at: number }[] {
    if (!fs.existsSync(this.dir)) return [];
    return fs.readdirSync(this.dir).filter((f) => f.endsWith('.sqlite')).sort().reverse().map((name) => {
      const stat = fs.statSync(path.join(this.dir, name));
      return { name, bytes: stat.size, at: stat.mtimeMs };
    });
  }
}
