import type { EntityManager } from 'typeorm';
import { rawRun } from '../database/raw-rows';

/**
 * Records that a keyed notice (a day's digest, a reminder, a month's report) has gone out.
 * Call it inside the UnitOfWork that sends the notice: the primary key makes it true for
 * exactly one transaction, in this process or any other on the same database.
 */
export async function claimNotice(m: EntityManager, key: string, now: number): Promise<boolean> {
  return (await rawRun(m, `INSERT INTO notice_sent (key, sentAt) VALUES (?, ?) ON CONFLICT DO NOTHING`, [key, now])).changes === 1;
}
