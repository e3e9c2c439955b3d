import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A counter bumped by triggers whenever a session ends or an account changes (from this
 * process or any other, such as the CLI), so every request can trust its in-memory copy of
 * session and user after one single-row read instead of joining both tables.
 */
export class SessionGeneration1764100000000 implements MigrationInterface {
  name = 'SessionGeneration1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE session_generation (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL)`);
    await db.query(`INSERT INTO session_generation (id, generation) VALUES (1, 0)`);
    for (const [name, event] of [['session_delete', 'DELETE ON session'], ['user_update', 'UPDATE ON user_account'], ['user_delete', 'DELETE ON user_account']]) {
      await db.query(`CREATE TRIGGER tr_${name}_generation AFTER ${event}
        BEGIN UPDATE session_generation SET generation = generation + 1 WHERE id = 1; END`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const name of ['session_delete', 'user_update', 'user_delete']) await db.query(`DROP TRIGGER tr_${name}_generation`);
    await db.query(`DROP TABLE session_generation`);
  }
}
