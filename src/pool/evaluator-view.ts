import { maskIdentifier } from '../common/masking';
import { CATEGORY_LABELS } from './domain/categories';
import { EVALUATOR_STATUS_LABELS } from './domain/evaluator-status';
import { Evaluator } from './evaluator.entity';

/** What pages and the API show of an evaluator: ID number and phone masked. */
export function evaluatorView(e: Evaluator) {
  return {
    id: e.id,
    name: e.name,
    gender: e.gender,
    birthYear: e.birthYear,
    phone: maskIdentifier(e.phone),
    idNumber: maskIdentifier(e.idNumber),
    employer: e.employer,
    employerDepartmentId: e.employerDepartmentId,
    title: e.title,
    category: e.category,
    categoryLabel: CATEGORY_LABELS[e.category],
    expertise: e.expertise ? e.expertise.split(',') : [],
    district: e.district,
    township: e.township,
    bio: e.bio,
    status: e.status,
    statusLabel: EVALUATOR_STATUS_LABELS[e.status],
    source: e.source,
    joinedAt: e.joinedAt,
    updatedAt: e.updatedAt,
  };
}
export type EvaluatorView = ReturnType<typeof evaluatorView>;
