import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issued official documents: one row per PDF, stored by its SHA-256 under data/documents.
 * One document of each kind (per department for assignment letters) per resolution version;
 * numbers run per kind and year; a later resolution version supersedes the earlier documents.
 */
export class Documents1764200000000 implements MigrationInterface {
  name = 'Documents1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE document (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL CONSTRAINT ck_document_kind CHECK (kind IN ('decision','assignment','notice','facts')),
      caseId INTEGER NOT NULL REFERENCES petition_case(id),
      meetingId INTEGER NOT NULL REFERENCES meeting(id),
      resolutionId INTEGER NOT NULL REFERENCES resolution(id),
      resolutionVersion INTEGER NOT NULL,
      departmentId INTEGER REFERENCES department(id),
      year INTEGER NOT NULL,
      serial INTEGER NOT NULL CONSTRAINT ck_document_serial CHECK (serial > 0),
      number TEXT NOT NULL,
      title TEXT NOT NULL,
      verificationCode TEXT NOT NULL CONSTRAINT uq_document_code UNIQUE CONSTRAINT ck_document_code CHECK (length(verificationCode) = 16),
      sha256 TEXT NOT NULL CONSTRAINT ck_document_sha CHECK (length(sha256) = 64),
      bytes INTEGER NOT NULL,
      status TEXT NOT NULL CONSTRAINT ck_document_status CHECK (status IN ('current','superseded')),
      issuedAt INTEGER NOT NULL,
      issuedBy INTEGER REFERENCES user_account(id),
      supersededAt INTEGER,
      supersededByResolutionVersion INTEGER,
      CONSTRAINT ck_document_department CHECK ((kind = 'assignment') = (departmentId IS NOT NULL))
    )`);
    await db.query(`CREATE UNIQUE INDEX uq_document_per_resolution ON document (resolutionId, kind, IFNULL(departmentId, 0))`);
    await db.query(`CREATE UNIQUE INDEX uq_document_number ON document (kind, year, serial)`);
    await db.query(`CREATE INDEX ix_document_case ON document (caseId, status)`);
    await db.query(`CREATE INDEX ix_document_department ON document (departmentId, status)`);
    await db.query(`CREATE INDEX ix_document_issued ON document (issuedAt)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE document`);
  }
}
