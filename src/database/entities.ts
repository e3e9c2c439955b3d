import { AuditEntry } from '../audit/audit-entry.entity';
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
];
