import { MigrationInterface, QueryRunner } from 'typeorm';
import { entryHash, GENESIS } from '../../audit/domain/audit-chain';

/**
 * The audit log becomes a hash chain (prevHash, hash on every entry). Entries written before
 * are chained here in id order, the one time the append-only trigger is lifted, inside this
 * migration's transaction. Published heads (daily exports) are kept for comparison.
 */
export class AuditChain1764400000000 implements MigrationInterface {
  name = 'AuditChain1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE audit_entry ADD COLUMN prevHash TEXT`);
    await db.query(`ALTER TABLE audit_entry ADD COLUMN hash TEXT`);
    await db.query(`DROP TRIGGER tr_audit_entry_no_update`);
    const rows: Record<string, unknown>[] = await db.query(`SELECT * FROM audit_entry ORDER BY id`);
    let prev = GENESIS;
    for (const row of rows) {
      const hash = entryHash(prev, row as never);
      await db.query(`UPDATE audit_entry SET prevHash = ?, hash = ? WHERE id = ?`, [prev, hash, row.id]);
      prev = hash;
    }
    await db.query(`CREATE TRIGGER tr_audit_entry_no_update BEFORE UPDATE ON audit_entry
      BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END`);
    await db.query(`CREATE TRIGGER tr_audit_entry_chained BEFORE INSERT ON audit_entry
      WHEN NEW.hash IS NULL OR length(NEW.hash) <> 64 OR NEW.prevHash IS NULL
      BEGIN SELECT RAISE(ABORT, 'audit entries must be chained'); END`);
    await db.query(`CREATE TABLE audit_head (
      day TEXT PRIMARY KEY,
      entryId INTEGER NOT NULL,
      hash TEXT NOT NULL,
      exportedAt INTEGER NOT NULL
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_head`);
    await db.query(`DROP TRIGGER tr_audit_entry_chained`);
    await db.query(`DROP TRIGGER tr_audit_entry_no_update`);
    await db.query(`ALTER TABLE audit_entry DROP COLUMN hash`);
    await db.query(`ALTER TABLE audit_entry DROP COLUMN prevHash`);
    await db.query(`CREATE TRIGGER tr_audit_entry_no_update BEFORE UPDATE ON audit_entry
      BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END`);
  }
}
