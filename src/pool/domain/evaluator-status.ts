/** An evaluator's standing in the pool; only active evaluators can be drawn. */
export const EVALUATOR_STATUSES = ['active', 'suspended', 'retired'] as const;
export type EvaluatorStatus = (typeof EVALUATOR_STATUSES)[number];

export const EVALUATOR_STATUS_LABELS: Record<EvaluatorStatus, string> = {
  active: '在册',
  suspended: '暂停',
  retired: '退出',
};

/** The lifecycle as data: from each status, where it may go. Every change needs a reason. */
export const EVALUATOR_STATUS_TRANSITIONS: Record<EvaluatorStatus, readonly EvaluatorStatus[]> = {
  active: ['suspended', 'retired'],
  suspended: ['active', 'retired'],
  retired: ['active'],
};

export type StatusChangeCheck = { ok: true } | { ok: false; reason: 'same_status' | 'not_allowed' | 'reason_required' };

/** Checks one status change against the transition table. */
export function checkStatusChange(from: EvaluatorStatus, to: EvaluatorStatus, reason: string): StatusChangeCheck {
  if (from === to) return { ok: false, reason: 'same_status' };
  if (!EVALUATOR_STATUS_TRANSITIONS[from].includes(to)) return { ok: false, reason: 'not_allowed' };
  if (reason.trim().length < 2) return { ok: false, reason: 'reason_required' };
  return { ok: true };
}
