import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The session cache's generation moves only when something a session depends on changes: not
 * on every log-in's lastLoginAt or second-factor step, which emptied every instance's cache.
 */
export class SessionGenerationColumns1764900000000 implements MigrationInterface {
  name = 'SessionGenerationColumns1764900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER tr_user_update_generation`);
    await db.query(`CREATE TRIGGER tr_user_update_generation
      AFTER UPDATE OF username, displayName, passwordHash, role, departmentId, evaluatorId, active, mustChangePassword, passwordChangedAt ON user_account
      BEGIN UPDATE session_generation SET generation = generation + 1 WHERE id = 1; END`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER tr_user_update_generation`);
    await db.query(`CREATE TRIGGER tr_user_update_generation AFTER UPDATE ON user_account
      BEGIN UPDATE session_generation SET generation = generation + 1 WHERE id = 1; END`);
  }
}
