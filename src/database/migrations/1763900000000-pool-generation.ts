import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A counter bumped by triggers on every change to the evaluator table, so the draw can keep
 * the pool in memory between draws and know, with one read, when it must reload it.
 */
export class PoolGeneration1763900000000 implements MigrationInterface {
  name = 'PoolGeneration1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE pool_generation (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL)`);
    await db.query(`INSERT INTO pool_generation (id, generation) VALUES (1, 0)`);
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      await db.query(`CREATE TRIGGER tr_evaluator_${event.toLowerCase()}_generation AFTER ${event} ON evaluator
        BEGIN UPDATE pool_generation SET generation = generation + 1 WHERE id = 1; END`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const event of ['insert', 'update', 'delete']) await db.query(`DROP TRIGGER tr_evaluator_${event}_generation`);
    await db.query(`DROP TABLE pool_generation`);
  }
}
