import { MigrationInterface, QueryRunner } from 'typeorm';

/** Archived segments of the audit log: which entries, the chain head they end in, and the file. */
export class AuditArchive1764600000000 implements MigrationInterface {
  name = 'AuditArchive1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE audit_archive (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      fromId INTEGER NOT NULL,
      upToId INTEGER NOT NULL,
      upToHash TEXT NOT NULL,
      entries INTEGER NOT NULL,
      file TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      archivedAt INTEGER NOT NULL
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE audit_archive`);
  }
}
