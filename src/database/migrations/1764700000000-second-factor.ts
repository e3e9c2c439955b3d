import { MigrationInterface, QueryRunner } from 'typeorm';

/** An optional TOTP second factor (for administrators and auditors): the secret, when it was switched on, the last step used. */
export class SecondFactor1764700000000 implements MigrationInterface {
  name = 'SecondFactor1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE user_account ADD COLUMN totpSecret TEXT`);
    await db.query(`ALTER TABLE user_account ADD COLUMN totpEnabledAt INTEGER`);
    await db.query(`ALTER TABLE user_account ADD COLUMN totpLastStep INTEGER`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const c of ['totpSecret', 'totpEnabledAt', 'totpLastStep']) await db.query(`ALTER TABLE user_account DROP COLUMN ${c}`);
  }
}
