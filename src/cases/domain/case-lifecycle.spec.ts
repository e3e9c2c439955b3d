import { CASE_STATUSES, CASE_TRANSITIONS, mayTransition } from './case-lifecycle';

describe('case lifecycle', () => {
  it('follows registered → panel drawn → confirmed → evaluating → resolved → follow-up → closed', () => {
    for (let i = 0; i + 1 < CASE_STATUSES.length; i++) expect(mayTransition(CASE_STATUSES[i], CASE_STATUSES[i + 1])).toBe(true);
  });
  it('allows a confirmed panel to go back to drawn when a member is replaced', () => {
    expect(mayTransition('panel_confirmed', 'panel_drawn')).toBe(true);
  });
  it('allows no skipping and nothing after closing', () => {
    expect(mayTransition('registered', 'evaluating')).toBe(false);
    expect(mayTransition('resolved', 'registered')).toBe(false);
    expect(CASE_TRANSITIONS.closed).toEqual([]);
  });
  it('lists targets only among the known statuses', () => {
    for (const targets of Object.values(CASE_TRANSITIONS)) for (const t of targets) expect(CASE_STATUSES).toContain(t);
  });
});
