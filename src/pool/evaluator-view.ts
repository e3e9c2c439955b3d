import { EVALUATOR_STATUS_LABELS } from './domain/evaluator-status';
import { Evaluator } from './evaluator.entity';
import { personView } from './person-view';

/** What pages and the API show of an evaluator: ID number and phone masked. */
export function evaluatorView(e: Evaluator) {
  return {
    ...personView(e),
    employerDepartmentId: e.employerDepartmentId,
    status: e.status,
    statusLabel: EVALUATOR_STATUS_LABELS[e.status],
    source: e.source,
    joinedAt: e.joinedAt,
    updatedAt: e.updatedAt,
  };
}
export type EvaluatorView = ReturnType<typeof evaluatorView>;
