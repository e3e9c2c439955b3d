import { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, sessions, audit log, departments and the evaluator talent pool. */
export class Foundation1763700000000 implements MigrationInterface {
  name = 'Foundation1763700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE department (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL CONSTRAINT uq_department_name UNIQUE,
      kind TEXT NOT NULL CONSTRAINT ck_department_kind CHECK (kind IN ('municipal','county')),
      sortOrder INTEGER NOT NULL DEFAULT 0
    )`);

    await db.query(`CREATE TABLE evaluator (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      gender TEXT NOT NULL CONSTRAINT ck_evaluator_gender CHECK (gender IN ('male','female')),
      birthYear INTEGER NOT NULL,
      phone TEXT NOT NULL,
      idNumber TEXT NOT NULL CONSTRAINT uq_evaluator_id_number UNIQUE,
      employer TEXT NOT NULL,
      employerDepartmentId INTEGER REFERENCES department(id),
      title TEXT NOT NULL DEFAULT '',
      category TEXT NOT NULL CONSTRAINT ck_evaluator_category CHECK (category IN
        ('party_cadre','scholar','lawyer','volunteer','deputy','counsellor','veteran','elder','senior_petitioner')),
      expertise TEXT NOT NULL DEFAULT '',
      district TEXT NOT NULL,
      township TEXT NOT NULL DEFAULT '',
      bio TEXT NOT NULL DEFAULT '',
      status TEXT NOT NULL CONSTRAINT ck_evaluator_status CHECK (status IN ('active','suspended','retired')),
      source TEXT NOT NULL CONSTRAINT ck_evaluator_source CHECK (source IN ('application','import','demo')),
      joinedAt INTEGER NOT NULL,
      updatedAt INTEGER NOT NULL
    )`);
    await db.query(`CREATE INDEX ix_evaluator_category_status ON evaluator(category, status)`);
    await db.query(`CREATE INDEX ix_evaluator_district ON evaluator(district)`);
    await db.query(`CREATE INDEX ix_evaluator_status ON evaluator(status)`);

    await db.query(`CREATE TABLE user_account (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      username TEXT NOT NULL COLLATE NOCASE CONSTRAINT uq_user_account_username UNIQUE,
      displayName TEXT NOT NULL,
      passwordHash TEXT NOT NULL,
      role TEXT NOT NULL CONSTRAINT ck_user_account_role CHECK (role IN ('admin','staff','evaluator','liaison','auditor','security')),
      departmentId INTEGER REFERENCES department(id),
      evaluatorId INTEGER CONSTRAINT uq_user_account_evaluator UNIQUE REFERENCES evaluator(id),
      active BOOLEAN NOT NULL DEFAULT 1,
      mustChangePassword BOOLEAN NOT NULL DEFAULT 0,
      passwordChangedAt INTEGER NOT NULL,
      createdAt INTEGER NOT NULL,
      lastLoginAt INTEGER,
      CONSTRAINT ck_user_account_liaison_department CHECK (role <> 'liaison' OR departmentId IS NOT NULL),
      CONSTRAINT ck_user_account_evaluator_link CHECK (role <> 'evaluator' OR evaluatorId IS NOT NULL)
    )`);

    await db.query(`CREATE TABLE login_throttle (
      username TEXT PRIMARY KEY COLLATE NOCASE,
      failures INTEGER NOT NULL,
      lockedUntil INTEGER,
      lastFailureAt INTEGER NOT NULL
    )`);

    await db.query(`CREATE TABLE session (
      id TEXT PRIMARY KEY,
      userId INTEGER NOT NULL REFERENCES user_account(id) ON DELETE CASCADE,
      csrfToken TEXT NOT NULL,
      createdAt INTEGER NOT NULL,
      lastSeenAt INTEGER NOT NULL,
      ip TEXT NOT NULL,
      userAgent TEXT NOT NULL
    )`);
    await db.query(`CREATE INDEX ix_session_user ON session(userId)`);

    await db.query(`CREATE TABLE audit_entry (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at INTEGER NOT NULL,
      atText TEXT NOT NULL,
      actorId INTEGER,
      actorName TEXT NOT NULL,
      actorRole TEXT NOT NULL,
      action TEXT NOT NULL,
      entityType TEXT NOT NULL,
      entityId TEXT,
      summary TEXT NOT NULL,
      before TEXT,
      after TEXT,
      ip TEXT NOT NULL,
      requestId TEXT NOT NULL
    )`);
    await db.query(`CREATE INDEX ix_audit_entry_at ON audit_entry(at)`);
    await db.query(`CREATE INDEX ix_audit_entry_actor ON audit_entry(actorId, at)`);
    await db.query(`CREATE INDEX ix_audit_entry_entity ON audit_entry(entityType, entityId)`);
    await db.query(`CREATE INDEX ix_audit_entry_action ON audit_entry(action, at)`);
    // The log is append-only: nothing, not even the service itself, may rewrite history.
    await db.query(`CREATE TRIGGER tr_audit_entry_no_update BEFORE UPDATE ON audit_entry
      BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END`);
    await db.query(`CREATE TRIGGER tr_audit_entry_no_delete BEFORE DELETE ON audit_entry
      BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END`);

    await db.query(`CREATE TABLE evaluator_status_change (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      evaluatorId INTEGER NOT NULL REFERENCES evaluator(id),
      fromStatus TEXT,
      toStatus TEXT NOT NULL,
      reason TEXT NOT NULL,
      at INTEGER NOT NULL,
      actorId INTEGER,
      actorName TEXT NOT NULL
    )`);
    await db.query(`CREATE INDEX ix_evaluator_status_change_evaluator ON evaluator_status_change(evaluatorId, at)`);

    await db.query(`CREATE TABLE application (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      gender TEXT NOT NULL CHECK (gender IN ('male','female')),
      birthYear INTEGER NOT NULL,
      phone TEXT NOT NULL,
      idNumber TEXT NOT NULL,
      employer TEXT NOT NULL,
      title TEXT NOT NULL DEFAULT '',
      category TEXT NOT NULL,
      expertise TEXT NOT NULL DEFAULT '',
      district TEXT NOT NULL,
      township TEXT NOT NULL DEFAULT '',
      bio TEXT NOT NULL DEFAULT '',
      consent BOOLEAN NOT NULL CONSTRAINT ck_application_consent CHECK (consent = 1),
      status TEXT NOT NULL CONSTRAINT ck_application_status CHECK (status IN ('pending','approved','rejected')),
      decisionReason TEXT,
      reviewedAt INTEGER,
      reviewedBy INTEGER REFERENCES user_account(id),
      evaluatorId INTEGER REFERENCES evaluator(id),
      submittedAt INTEGER NOT NULL,
      CONSTRAINT ck_application_decision CHECK (status = 'pending' OR reviewedAt IS NOT NULL)
    )`);
    // One live application per person; a rejected applicant may apply again.
    await db.query(`CREATE UNIQUE INDEX ux_application_live_id_number ON application(idNumber) WHERE status <> 'rejected'`);
    await db.query(`CREATE INDEX ix_application_status ON application(status, submittedAt)`);

    await db.query(`CREATE TABLE conflict_declaration (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      evaluatorId INTEGER NOT NULL REFERENCES evaluator(id),
      kind TEXT NOT NULL CONSTRAINT ck_conflict_kind CHECK (kind IN ('employer','relative','other')),
      departmentId INTEGER REFERENCES department(id),
      description TEXT NOT NULL,
      untilYear INTEGER,
      declaredAt INTEGER NOT NULL,
      withdrawnAt INTEGER
    )`);
    await db.query(`CREATE INDEX ix_conflict_declaration_evaluator ON conflict_declaration(evaluatorId)`);

    await db.query(`CREATE TABLE import_batch (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      fileName TEXT NOT NULL,
      createdAt INTEGER NOT NULL,
      createdBy INTEGER NOT NULL REFERENCES user_account(id),
      totalRows INTEGER NOT NULL,
      validRows INTEGER NOT NULL,
      status TEXT NOT NULL CONSTRAINT ck_import_batch_status CHECK (status IN ('preview','confirmed','discarded')),
      problems TEXT NOT NULL,
      payload TEXT NOT NULL,
      decidedAt INTEGER
    )`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [
      'import_batch',
      'conflict_declaration',
      'application',
      'evaluator_status_change',
      'audit_entry',
      'session',
      'login_throttle',
      'user_account',
      'evaluator',
      'department',
    ]) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
