import { MigrationInterface, QueryRunner } from 'typeorm';

/** Petition cases, their files and timeline; draws, panels, invitations, inbox and outbox. */
export class CasesAndDraws1763800000000 implements MigrationInterface {
  name = 'CasesAndDraws1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE petition_case (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      caseNumber TEXT NOT NULL CONSTRAINT uq_petition_case_number UNIQUE,
      title TEXT NOT NULL,
      demandSummary TEXT NOT NULL,
      category TEXT NOT NULL,
      petitionerName TEXT NOT NULL,
      petitionerIdNumber TEXT NOT NULL,
      petitionerPhone TEXT NOT NULL,
      petitionerDistrict TEXT NOT NULL,
      petitionerTownship TEXT NOT NULL DEFAULT '',
      handlingResult TEXT NOT NULL,
      handlingDate TEXT NOT NULL,
      satisfaction TEXT NOT NULL CONSTRAINT ck_petition_case_satisfaction CHECK (satisfaction IN ('satisfied','basically_satisfied','dissatisfied')),
      agentName TEXT,
      agentKind TEXT CONSTRAINT ck_petition_case_agent_kind CHECK (agentKind IS NULL OR agentKind IN ('cadre','lawyer','volunteer')),
      agentPhone TEXT,
      eligible BOOLEAN NOT NULL,
      ineligibleReason TEXT,
      status TEXT NOT NULL CONSTRAINT ck_petition_case_status CHECK (status IN ('registered','panel_drawn','panel_confirmed','evaluating','resolved','follow_up','closed')),
      registeredAt INTEGER NOT NULL,
      registeredBy INTEGER REFERENCES user_account(id),
      updatedAt INTEGER NOT NULL,
      CONSTRAINT ck_petition_case_ineligible_reason CHECK (eligible = 1 OR length(ineligibleReason) > 0)
    )`);
    await db.query(`CREATE INDEX ix_petition_case_status ON petition_case(status, registeredAt)`);
    await db.query(`CREATE INDEX ix_petition_case_petitioner ON petition_case(petitionerIdNumber)`);

    await db.query(`CREATE TABLE case_department (
      caseId INTEGER NOT NULL REFERENCES petition_case(id),
      departmentId INTEGER NOT NULL REFERENCES department(id),
      PRIMARY KEY (caseId, departmentId)
    )`);
    await db.query(`CREATE TABLE petition_record (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      caseId INTEGER NOT NULL REFERENCES petition_case(id),
      date TEXT NOT NULL,
      level TEXT NOT NULL CONSTRAINT ck_petition_record_level CHECK (level IN ('county','city','province','beijing')),
      channel TEXT NOT NULL CONSTRAINT ck_petition_record_channel CHECK (channel IN ('visit','letter','online','phone'))
    )`);
    await db.query(`CREATE INDEX ix_petition_record_case ON petition_record(caseId)`);
    await db.query(`CREATE TABLE case_attachment (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      caseId INTEGER NOT NULL REFERENCES petition_case(id),
      fileName TEXT NOT NULL,
      mimeType TEXT NOT NULL CONSTRAINT ck_case_attachment_type CHECK (mimeType IN ('application/pdf','image/jpeg','image/png')),
      size INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      uploadedAt INTEGER NOT NULL,
      uploadedBy INTEGER REFERENCES user_account(id)
    )`);
    await db.query(`CREATE INDEX ix_case_attachment_case ON case_attachment(caseId)`);
    await db.query(`CREATE TABLE case_event (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      caseId INTEGER NOT NULL REFERENCES petition_case(id),
      at INTEGER NOT NULL,
      fromStatus TEXT,
      toStatus TEXT,
      note TEXT NOT NULL,
      actorName TEXT NOT NULL
    )`);
    await db.query(`CREATE INDEX ix_case_event_case ON case_event(caseId, at)`);
    await db.query(`CREATE TABLE case_exclusion (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      caseId INTEGER NOT NULL REFERENCES petition_case(id),
      evaluatorId INTEGER NOT NULL REFERENCES evaluator(id),
      reason TEXT NOT NULL,
      at INTEGER NOT NULL,
      actorId INTEGER REFERENCES user_account(id),
      CONSTRAINT uq_case_exclusion UNIQUE (caseId, evaluatorId)
    )`);

    await db.query(`CREATE TABLE draw (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      caseId INTEGER NOT NULL REFERENCES petition_case(id),
      publicCode TEXT NOT NULL CONSTRAINT uq_draw_public_code UNIQUE,
      kind TEXT NOT NULL CONSTRAINT ck_draw_kind CHECK (kind IN ('initial','supplementary')),
      status TEXT NOT NULL CONSTRAINT ck_draw_status CHECK (status IN ('committed','drawn','cancelled')),
      seats INTEGER NOT NULL,
      rulesJson TEXT NOT NULL,
      rulesDigest TEXT NOT NULL,
      eligibleList BLOB NOT NULL,
      eligibleDigest TEXT NOT NULL,
      eligibleCount INTEGER NOT NULL,
      excluded BLOB NOT NULL,
      secret TEXT NOT NULL,
      commitment TEXT NOT NULL,
      committedAt INTEGER NOT NULL,
      committedBy INTEGER REFERENCES user_account(id),
      witnessName TEXT,
      witnessRole TEXT,
      witnessInput TEXT,
      seed TEXT,
      resultJson TEXT,
      drawnAt INTEGER,
      drawnBy INTEGER REFERENCES user_account(id),
      panelId INTEGER,
      CONSTRAINT ck_draw_drawn CHECK (status <> 'drawn' OR (seed IS NOT NULL AND resultJson IS NOT NULL AND witnessInput IS NOT NULL))
    )`);
    // At most one commitment waiting for its witness per case.
    await db.query(`CREATE UNIQUE INDEX ux_draw_open_per_case ON draw(caseId) WHERE status = 'committed'`);
    await db.query(`CREATE INDEX ix_draw_case ON draw(caseId)`);

    await db.query(`CREATE TABLE panel (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      caseId INTEGER NOT NULL REFERENCES petition_case(id),
      drawId INTEGER NOT NULL REFERENCES draw(id),
      status TEXT NOT NULL CONSTRAINT ck_panel_status CHECK (status IN ('forming','confirmed','dissolved')),
      createdAt INTEGER NOT NULL,
      confirmedAt INTEGER
    )`);
    // One active panel per case, whatever the application does.
    await db.query(`CREATE UNIQUE INDEX ux_panel_active_per_case ON panel(caseId) WHERE status <> 'dissolved'`);
    await db.query(`CREATE TABLE panel_member (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      panelId INTEGER NOT NULL REFERENCES panel(id),
      evaluatorId INTEGER NOT NULL REFERENCES evaluator(id),
      drawId INTEGER NOT NULL REFERENCES draw(id),
      seat INTEGER,
      alternateRank INTEGER,
      state TEXT NOT NULL CONSTRAINT ck_panel_member_state CHECK (state IN ('invited','accepted','declined','conflict','expired','standby','released')),
      invitedAt INTEGER,
      respondBy INTEGER,
      respondedAt INTEGER,
      declaration TEXT,
      declineReason TEXT,
      CONSTRAINT uq_panel_member UNIQUE (panelId, evaluatorId)
    )`);
    // A seat is held by one invited or accepted member at a time.
    await db.query(`CREATE UNIQUE INDEX ux_panel_member_seat ON panel_member(panelId, seat) WHERE state IN ('invited','accepted')`);
    await db.query(`CREATE INDEX ix_panel_member_evaluator ON panel_member(evaluatorId, state)`);

    await db.query(`CREATE TABLE notification (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      userId INTEGER REFERENCES user_account(id),
      evaluatorId INTEGER REFERENCES evaluator(id),
      title TEXT NOT NULL,
      body TEXT NOT NULL,
      link TEXT,
      createdAt INTEGER NOT NULL,
      readAt INTEGER
    )`);
    await db.query(`CREATE INDEX ix_notification_evaluator ON notification(evaluatorId, createdAt)`);
    await db.query(`CREATE TABLE outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      channel TEXT NOT NULL CONSTRAINT ck_outbox_channel CHECK (channel IN ('sms','email')),
      recipient TEXT NOT NULL,
      body TEXT NOT NULL,
      createdAt INTEGER NOT NULL
    )`);

    await db.query(`ALTER TABLE conflict_declaration ADD COLUMN personName TEXT`);
    await db.query(`ALTER TABLE conflict_declaration ADD COLUMN personIdNumber TEXT`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE conflict_declaration DROP COLUMN personIdNumber`);
    await db.query(`ALTER TABLE conflict_declaration DROP COLUMN personName`);
    for (const table of ['outbox', 'notification', 'panel_member', 'panel', 'draw', 'case_exclusion', 'case_event', 'case_attachment', 'petition_record', 'case_department', 'petition_case']) {
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
