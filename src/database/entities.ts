import { AuditEntry } from '../audit/audit-entry.entity';
import { CaseAttachment, CaseDepartment, CaseEvent, CaseExclusion, PetitionRecord } from '../cases/case-parts.entity';
import { PetitionCase } from '../cases/petition-case.entity';
import { Draw } from '../draws/draw.entity';
import { DocumentBatch } from '../documents/document-batch.entity';
import { IssuedDocument } from '../documents/issued-document.entity';
import { CaseLink, MeasureAttachment, MeasureEvent, MonthlyReport, NoticeSent, ReturnVisit } from '../followup/followup.entities';
import { EvaluationStep, Measure, Meeting, Resolution, ScoreSheet, ScoreSheetVersion, Vote } from '../evaluations/evaluation.entities';
import { Notification, OutboxMessage } from '../draws/notification.entity';
import { Panel, PanelMember } from '../draws/panel.entity';
import { LoginThrottle } from '../auth/login-throttle.entity';
import { Session } from '../auth/session.entity';
import { UserAccount } from '../auth/user-account.entity';
import { Department } from '../departments/department.entity';
import { Application } from '../pool/application.entity';
import { ConflictDeclaration } from '../pool/conflict-declaration.entity';
import { EvaluatorStatusChange } from '../pool/evaluator-status-change.entity';
import { Evaluator } from '../pool/evaluator.entity';
import { ImportBatch } from '../pool/import-batch.entity';

export const ENTITIES = [
  AuditEntry,
  LoginThrottle,
  Session,
  UserAccount,
  Department,
  Application,
  ConflictDeclaration,
  Evaluator,
  EvaluatorStatusChange,
  ImportBatch,
  PetitionCase,
  CaseDepartment,
  PetitionRecord,
  CaseAttachment,
  CaseEvent,
  CaseExclusion,
  Draw,
  Panel,
  PanelMember,
  Notification,
  OutboxMessage,
  Meeting,
  EvaluationStep,
  ScoreSheet,
  ScoreSheetVersion,
  Resolution,
  Vote,
  Measure,
  IssuedDocument,
  DocumentBatch,
  MeasureEvent,
  MeasureAttachment,
  NoticeSent,
  ReturnVisit,
  CaseLink,
  MonthlyReport,
];
