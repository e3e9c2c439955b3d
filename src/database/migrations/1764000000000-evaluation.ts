import { MigrationInterface, QueryRunner } from 'typeorm';

/** The evaluation meeting, its four steps and score sheets (every version kept), resolutions, votes and measures. */
export class Evaluation1764000000000 implements MigrationInterface {
  name = 'Evaluation1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE meeting (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      caseId INTEGER NOT NULL CONSTRAINT uq_meeting_case UNIQUE REFERENCES petition_case(id),
      panelId INTEGER NOT NULL REFERENCES panel(id),
      scheduledAt INTEGER NOT NULL,
      place TEXT NOT NULL,
      online BOOLEAN NOT NULL,
      chairEvaluatorId INTEGER NOT NULL REFERENCES evaluator(id),
      chairChosenBy TEXT NOT NULL CONSTRAINT ck_meeting_chair CHECK (chairChosenBy IN ('random','office')),
      chairReason TEXT,
      voteRule TEXT NOT NULL CONSTRAINT ck_meeting_vote_rule CHECK (voteRule IN ('majority','two_thirds')),
      status TEXT NOT NULL CONSTRAINT ck_meeting_status CHECK (status IN ('scheduled','open','closed')),
      openedAt INTEGER,
      closedAt INTEGER,
      createdAt INTEGER NOT NULL,
      CONSTRAINT ck_meeting_chair_reason CHECK (chairChosenBy = 'random' OR length(chairReason) > 0)
    )`);
    await db.query(`CREATE TABLE evaluation_step (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      meetingId INTEGER NOT NULL REFERENCES meeting(id),
      step TEXT NOT NULL CONSTRAINT ck_evaluation_step_key CHECK (step IN ('facts','procedure','law','responsibility')),
      position INTEGER NOT NULL,
      status TEXT NOT NULL CONSTRAINT ck_evaluation_step_status CHECK (status IN ('pending','open','closed')),
      openedAt INTEGER,
      closedAt INTEGER,
      absentees TEXT NOT NULL DEFAULT '[]',
      CONSTRAINT uq_evaluation_step UNIQUE (meetingId, step)
    )`);
    await db.query(`CREATE TABLE score_sheet (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      stepId INTEGER NOT NULL REFERENCES evaluation_step(id),
      evaluatorId INTEGER NOT NULL REFERENCES evaluator(id),
      status TEXT NOT NULL CONSTRAINT ck_score_sheet_status CHECK (status IN ('draft','submitted')),
      answers TEXT NOT NULL,
      version INTEGER NOT NULL,
      submittedAt INTEGER,
      updatedAt INTEGER NOT NULL,
      CONSTRAINT uq_score_sheet_one_per_member UNIQUE (stepId, evaluatorId)
    )`);
    await db.query(`CREATE TABLE score_sheet_version (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      sheetId INTEGER NOT NULL REFERENCES score_sheet(id),
      version INTEGER NOT NULL,
      status TEXT NOT NULL,
      answers TEXT NOT NULL,
      reason TEXT,
      at INTEGER NOT NULL,
      CONSTRAINT uq_score_sheet_version UNIQUE (sheetId, version)
    )`);
    // Submitted versions are evidence of independent scoring: never rewritten.
    await db.query(`CREATE TRIGGER tr_score_sheet_version_no_update BEFORE UPDATE ON score_sheet_version
      BEGIN SELECT RAISE(ABORT, 'score sheet versions are append-only'); END`);
    await db.query(`CREATE TRIGGER tr_score_sheet_version_no_delete BEFORE DELETE ON score_sheet_version
      BEGIN SELECT RAISE(ABORT, 'score sheet versions are append-only'); END`);
    await db.query(`CREATE TABLE resolution (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      meetingId INTEGER NOT NULL REFERENCES meeting(id),
      version INTEGER NOT NULL,
      status TEXT NOT NULL CONSTRAINT ck_resolution_status CHECK (status IN ('draft','voting','adopted','rejected','superseded')),
      items TEXT NOT NULL,
      outcome TEXT,
      reason TEXT,
      createdAt INTEGER NOT NULL,
      votingOpenedAt INTEGER,
      decidedAt INTEGER,
      CONSTRAINT uq_resolution_version UNIQUE (meetingId, version)
    )`);
    await db.query(`CREATE TABLE vote (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      resolutionId INTEGER NOT NULL REFERENCES resolution(id),
      itemKey TEXT NOT NULL,
      evaluatorId INTEGER NOT NULL REFERENCES evaluator(id),
      choice TEXT NOT NULL CONSTRAINT ck_vote_choice CHECK (choice IN ('agree','disagree','abstain')),
      dissent TEXT,
      at INTEGER NOT NULL,
      CONSTRAINT uq_vote_once UNIQUE (resolutionId, itemKey, evaluatorId)
    )`);
    await db.query(`CREATE TABLE measure (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      caseId INTEGER NOT NULL REFERENCES petition_case(id),
      resolutionId INTEGER NOT NULL REFERENCES resolution(id),
      kind TEXT NOT NULL CONSTRAINT ck_measure_kind CHECK (kind IN ('solve','relief','explanation','psychological','legal','routing')),
      departmentId INTEGER REFERENCES department(id),
      description TEXT NOT NULL,
      days INTEGER,
      dueAt INTEGER,
      status TEXT NOT NULL CONSTRAINT ck_measure_status CHECK (status IN ('open','done','cancelled')),
      createdAt INTEGER NOT NULL
    )`);
    await db.query(`CREATE INDEX ix_measure_case ON measure(caseId)`);
    await db.query(`CREATE INDEX ix_measure_department ON measure(departmentId, status)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const t of ['measure', 'vote', 'resolution', 'score_sheet_version', 'score_sheet', 'evaluation_step', 'meeting']) await db.query(`DROP TABLE ${t}`);
  }
}
