import type { DataSource } from 'typeorm';
import { rawRun } from '../database/raw-rows';

/**
 * Records that a keyed notice (a day's digest, a reminder, a month's report) has gone out.
 * Call it inside the UnitOfWork that sends the notice: the primary key makes it true for
 * exactly one transaction, in this process or any other on the same database.
 */
export function claimNotice(dataSource: DataSource, key: string, now: number): boolean {
  return rawRun(dataSource, `INSERT OR IGNORE INTO notice_sent (key, sentAt) VALUES (?, ?)`, [key, now]).changes === 1;
}
