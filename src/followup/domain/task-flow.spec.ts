import { isOfficeDecision, refusal, TASK_ACTIONS, taskState } from './task-flow';

describe('task flow', () => {
  it('derives the state from the stored fields, done and cancelled first', () => {
    expect(taskState({ status: 'open', reportedAt: null, extensionUntil: null })).toBe('open');
    expect(taskState({ status: 'open', reportedAt: null, extensionUntil: 1 })).toBe('extension_requested');
    expect(taskState({ status: 'open', reportedAt: 1, extensionUntil: 1 })).toBe('awaiting_confirmation');
    expect(taskState({ status: 'done', reportedAt: 1, extensionUntil: null })).toBe('done');
    expect(taskState({ status: 'cancelled', reportedAt: null, extensionUntil: null })).toBe('cancelled');
  });

  it('lets the department report and ask for time only while the task runs, and the office decide only what waits for it', () => {
    expect(refusal('completion', 'open')).toBeNull();
    expect(refusal('extension_request', 'extension_requested')).toContain('申请延期待审批');
    expect(refusal('confirmed', 'open')).toContain('不能确认办结');
    expect(refusal('returned', 'awaiting_confirmation')).toBeNull();
    expect(refusal('progress', 'done')).not.toBeNull();
    // Every action against every state, as a table: who may do what, when.
    const states = ['open', 'extension_requested', 'awaiting_confirmation', 'done', 'cancelled'] as const;
    const allowed = Object.fromEntries((Object.keys(TASK_ACTIONS) as (keyof typeof TASK_ACTIONS)[]).map((a) => [a, states.filter((st) => refusal(a, st) === null)]));
    expect(allowed).toEqual({
      progress: ['open', 'extension_requested'],
      completion: ['open', 'extension_requested'],
      extension_request: ['open'],
      extension_approved: ['extension_requested'],
      extension_refused: ['extension_requested'],
      confirmed: ['awaiting_confirmation'],
      returned: ['awaiting_confirmation'],
    });
    expect(Object.keys(TASK_ACTIONS).filter(isOfficeDecision)).toEqual(['extension_approved', 'extension_refused', 'confirmed', 'returned']);
    expect(isOfficeDecision('constructor')).toBe(false);
  });
});
