/** A case's lifecycle, declared as data and enforced in one place (CasesService.transition). */
export const CASE_STATUSES = ['registered', 'panel_drawn', 'panel_confirmed', 'evaluating', 'resolved', 'follow_up', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  registered: '已登记',
  panel_drawn: '已抽选评价组',
  panel_confirmed: '评价组已确认',
  evaluating: '评价中',
  resolved: '已形成决议',
  follow_up: '跟踪落实',
  closed: '已结案',
};

/** From each status, where it may go. panel_confirmed → panel_drawn: a member withdrew and is replaced. */
export const CASE_TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  registered: ['panel_drawn'],
  panel_drawn: ['panel_confirmed'],
  panel_confirmed: ['evaluating', 'panel_drawn'],
  evaluating: ['resolved'],
  resolved: ['follow_up'],
  follow_up: ['closed'],
  closed: [],
};

export function mayTransition(from: CaseStatus, to: CaseStatus): boolean {
  return CASE_TRANSITIONS[from].includes(to);
}
