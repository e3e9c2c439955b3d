import { checkStatusChange, EVALUATOR_STATUS_TRANSITIONS, EVALUATOR_STATUSES } from './evaluator-status';

describe('checkStatusChange', () => {
  it('suspends an active evaluator with a reason', () => {
    expect(checkStatusChange('active', 'suspended', '本人申请暂停三个月')).toEqual({ ok: true });
  });
  it('reinstates a suspended or retired evaluator', () => {
    expect(checkStatusChange('suspended', 'active', '暂停期满')).toEqual({ ok: true });
    expect(checkStatusChange('retired', 'active', '重新聘任')).toEqual({ ok: true });
  });
  it('refuses a change without a reason', () => {
    expect(checkStatusChange('active', 'retired', '  ')).toEqual({ ok: false, reason: 'reason_required' });
  });
  it('refuses a change to the same status', () => {
    expect(checkStatusChange('active', 'active', '无')).toEqual({ ok: false, reason: 'same_status' });
  });
  it('refuses retired → suspended, which the table does not list', () => {
    expect(checkStatusChange('retired', 'suspended', '测试原因')).toEqual({ ok: false, reason: 'not_allowed' });
  });
  it('lists a target for every status and never a self-loop', () => {
    for (const status of EVALUATOR_STATUSES) {
      expect(EVALUATOR_STATUS_TRANSITIONS[status].length).toBeGreaterThan(0);
      expect(EVALUATOR_STATUS_TRANSITIONS[status]).not.toContain(status);
    }
  });
});
