/**
 * A follow-up task (an adopted measure) and what may happen to it, declared as data: the
 * department reports progress, reports completion or asks for more time; the office approves
 * or refuses the extension, confirms the completion or sends the task back.
 */
export type TaskState = 'open' | 'extension_requested' | 'awaiting_confirmation' | 'done' | 'cancelled';

export const TASK_STATE_LABELS: Record<TaskState, string> = {
  open: '办理中',
  extension_requested: '申请延期待审批',
  awaiting_confirmation: '已报办结待确认',
  done: '已办结',
  cancelled: '已撤销',
};

export type TaskAction = 'progress' | 'completion' | 'extension_request' | 'extension_approved' | 'extension_refused' | 'confirmed' | 'returned';

export const TASK_ACTION_LABELS: Record<TaskAction, string> = {
  progress: '报送进展',
  completion: '报告办结',
  extension_request: '申请延期',
  extension_approved: '同意延期',
  extension_refused: '不同意延期',
  confirmed: '确认办结',
  returned: '退回重办',
};

export const TASK_ACTIONS: Record<TaskAction, { by: 'department' | 'office'; from: readonly TaskState[] }> = {
  progress: { by: 'department', from: ['open', 'extension_requested'] },
  completion: { by: 'department', from: ['open', 'extension_requested'] },
  extension_request: { by: 'department', from: ['open'] },
  extension_approved: { by: 'office', from: ['extension_requested'] },
  extension_refused: { by: 'office', from: ['extension_requested'] },
  confirmed: { by: 'office', from: ['awaiting_confirmation'] },
  returned: { by: 'office', from: ['awaiting_confirmation'] },
};

/** The office's decisions (the actions it takes), as a route names them. */
export type OfficeDecision = 'extension_approved' | 'extension_refused' | 'confirmed' | 'returned';

export function isOfficeDecision(action: string): action is OfficeDecision {
  return Object.hasOwn(TASK_ACTIONS, action) && TASK_ACTIONS[action as TaskAction].by === 'office';
}

/** The state a task is in, from its stored fields. */
export function taskState(task: { status: string; reportedAt: number | null; extensionUntil: number | null }): TaskState {
  if (task.status === 'done') return 'done';
  if (task.status === 'cancelled') return 'cancelled';
  if (task.reportedAt !== null) return 'awaiting_confirmation';
  if (task.extensionUntil !== null) return 'extension_requested';
  return 'open';
}

/** Why an action is not possible now, in words for the page; null when it is. */
export function refusal(action: TaskAction, state: TaskState): string | null {
  if (TASK_ACTIONS[action].from.includes(state)) return null;
  return `该任务当前状态为“${TASK_STATE_LABELS[state]}”，不能${TASK_ACTION_LABELS[action]}`;
}
