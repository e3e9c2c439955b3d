import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Batch issuing jobs (a resolution's or a month's documents in one zip) in the database instead
 * of one process's memory, so any instance behind the proxy can show a job's progress and
 * serve its zip (kept under data/batches/ by SHA-256).
 */
export class DocumentBatches1765000000000 implements MigrationInterface {
  name = 'DocumentBatches1765000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE document_batch (
      id TEXT PRIMARY KEY,
      label TEXT NOT NULL,
      fileName TEXT NOT NULL,
      status TEXT NOT NULL CONSTRAINT ck_document_batch_status CHECK (status IN ('running','done','failed')),
      done INTEGER NOT NULL,
      total INTEGER NOT NULL,
      percent INTEGER NOT NULL,
      documents INTEGER NOT NULL,
      error TEXT,
      zipSha256 TEXT,
      zipBytes INTEGER,
      startedBy INTEGER,
      startedAt INTEGER NOT NULL,
      updatedAt INTEGER NOT NULL
    )`);
    await db.query(`CREATE INDEX ix_document_batch_status ON document_batch (status, updatedAt)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE document_batch`);
  }
}
