import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Follow-up: measures become tasks with a timeline (append-only) and report attachments;
 * departments get the leader the daily red list goes to; notices sent once are keyed so a
 * restart or a second instance never sends them twice; return visits close cases; later
 * review requests link to the case; monthly reports are kept.
 */
export class FollowUp1764300000000 implements MigrationInterface {
  name = 'FollowUp1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE measure ADD COLUMN reportedAt INTEGER`);
    await db.query(`ALTER TABLE measure ADD COLUMN extensionUntil INTEGER`);
    await db.query(`ALTER TABLE measure ADD COLUMN extensionReason TEXT`);
    await db.query(`ALTER TABLE measure ADD COLUMN doneAt INTEGER`);
    await db.query(`CREATE INDEX ix_measure_due ON measure (status, dueAt)`);
    await db.query(`CREATE TABLE measure_event (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      measureId INTEGER NOT NULL REFERENCES measure(id),
      at INTEGER NOT NULL,
      action TEXT NOT NULL CONSTRAINT ck_measure_event_action CHECK (action IN ('progress','completion','extension_request','extension_approved','extension_refused','confirmed','returned')),
      text TEXT NOT NULL,
      dueBefore INTEGER,
      dueAfter INTEGER,
      userId INTEGER REFERENCES user_account(id),
      actorName TEXT NOT NULL,
      actorRole TEXT NOT NULL
    )`);
    await db.query(`CREATE INDEX ix_measure_event_measure ON measure_event (measureId, id)`);
    for (const op of ['UPDATE', 'DELETE']) {
      await db.query(`CREATE TRIGGER tr_measure_event_no_${op.toLowerCase()} BEFORE ${op} ON measure_event BEGIN SELECT RAISE(ABORT, 'measure_event is append-only'); END`);
    }
    await db.query(`CREATE TABLE measure_attachment (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      eventId INTEGER NOT NULL REFERENCES measure_event(id),
      fileName TEXT NOT NULL,
      mimeType TEXT NOT NULL,
      size INTEGER NOT NULL,
      sha256 TEXT NOT NULL
    )`);
    await db.query(`CREATE INDEX ix_measure_attachment_event ON measure_attachment (eventId)`);
    await db.query(`ALTER TABLE department ADD COLUMN leaderName TEXT`);
    await db.query(`ALTER TABLE department ADD COLUMN leaderPhone TEXT`);
    await db.query(`CREATE TABLE notice_sent (key TEXT PRIMARY KEY, sentAt INTEGER NOT NULL)`);
    await db.query(`CREATE TABLE return_visit (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      caseId INTEGER NOT NULL CONSTRAINT uq_return_visit_case UNIQUE REFERENCES petition_case(id),
      visitedAt INTEGER NOT NULL,
      satisfaction TEXT NOT NULL CONSTRAINT ck_return_visit_satisfaction CHECK (satisfaction IN ('satisfied','basically_satisfied','dissatisfied')),
      stoppedPetitioning BOOLEAN NOT NULL,
      outcome TEXT NOT NULL CONSTRAINT ck_return_visit_outcome CHECK (outcome IN ('settled','unsettled')),
      note TEXT NOT NULL,
      recordedBy INTEGER REFERENCES user_account(id),
      recordedAt INTEGER NOT NULL
    )`);
    await db.query(`CREATE TABLE case_link (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      caseId INTEGER NOT NULL REFERENCES petition_case(id),
      linkedCaseId INTEGER NOT NULL REFERENCES petition_case(id),
      kind TEXT NOT NULL CONSTRAINT ck_case_link_kind CHECK (kind IN ('review','recheck')),
      note TEXT NOT NULL,
      createdAt INTEGER NOT NULL,
      CONSTRAINT uq_case_link UNIQUE (caseId, linkedCaseId),
      CONSTRAINT ck_case_link_self CHECK (caseId <> linkedCaseId)
    )`);
    await db.query(`CREATE TABLE monthly_report (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      month TEXT NOT NULL,
      figures TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      automatic BOOLEAN NOT NULL,
      generatedAt INTEGER NOT NULL,
      generatedBy INTEGER REFERENCES user_account(id)
    )`);
    await db.query(`CREATE INDEX ix_monthly_report_month ON monthly_report (month, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const t of ['monthly_report', 'case_link', 'return_visit', 'notice_sent', 'measure_attachment', 'measure_event']) await db.query(`DROP TABLE ${t}`);
    await db.query(`DROP INDEX ix_measure_due`);
    for (const c of ['reportedAt', 'extensionUntil', 'extensionReason', 'doneAt']) await db.query(`ALTER TABLE measure DROP COLUMN ${c}`);
    for (const c of ['leaderName', 'leaderPhone']) await db.query(`ALTER TABLE department DROP COLUMN ${c}`);
  }
}
