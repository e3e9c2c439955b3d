import { MigrationInterface, QueryRunner } from 'typeorm';

/** Earlier password hashes, so the last five are not chosen again (MLPS level 3 practice). */
export class PasswordHistory1764500000000 implements MigrationInterface {
  name = 'PasswordHistory1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE password_history (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      userId INTEGER NOT NULL REFERENCES user_account(id),
      passwordHash TEXT NOT NULL,
      retiredAt INTEGER NOT NULL
    )`);
    await db.query(`CREATE INDEX ix_password_history_user ON password_history (userId, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE password_history`);
  }
}
