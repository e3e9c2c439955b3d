import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit windows in the database, so that instances sharing it count a client's attempts
 * together (each instance's own count still refuses a flood without touching the database).
 */
export class RateWindows1765100000000 implements MigrationInterface {
  name = 'RateWindows1765100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE rate_window (key TEXT PRIMARY KEY, start INTEGER NOT NULL, hits INTEGER NOT NULL)`);
    await db.query(`CREATE INDEX ix_rate_window_start ON rate_window (start)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE rate_window`);
  }
}
