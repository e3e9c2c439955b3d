import { refusal, TASK_ACTIONS, taskState } from './task-flow';

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
    for (const [action, rule] of Object.entries(TASK_ACTIONS)) {
      expect(rule.from).not.toContain('done');
      expect(['department', 'office']).toContain(rule.by);
      expect(action).toBeTruthy();
    }
  });
});
