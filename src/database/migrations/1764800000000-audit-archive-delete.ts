import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The append-only rule with its one exception in the database itself: entries an archive row
 * already covers may be deleted (archiving does exactly that); nothing else may.
 */
export class AuditArchiveDelete1764800000000 implements MigrationInterface {
  name = 'AuditArchiveDelete1764800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER tr_audit_entry_no_delete`);
    await db.query(`CREATE TRIGGER tr_audit_entry_no_delete BEFORE DELETE ON audit_entry
      WHEN OLD.id > IFNULL((SELECT MAX(upToId) FROM audit_archive), 0)
      BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER tr_audit_entry_no_delete`);
    await db.query(`CREATE TRIGGER tr_audit_entry_no_delete BEFORE DELETE ON audit_entry
      BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END`);
  }
}
