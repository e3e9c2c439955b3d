import { CASE_STATUS_LABELS, CASE_STATUSES, CaseStatus } from '../../cases/domain/case-lifecycle';
import { daysLeft } from './warning-level';

export interface ReportInput {
  /** The period: [from, to); figures "as of" are taken at the earlier of `to` and `now`. */
  from: number;
  to: number;
  now: number;
  timeZone: string;
  cases: { id: number; category: string; registeredAt: number; departmentIds: number[] }[];
  /** Status changes of every case (registration included), in time order. */
  events: { caseId: number; at: number; toStatus: CaseStatus }[];
  visits: { caseId: number; visitedAt: number; outcome: 'settled' | 'unsettled' }[];
  tasks: { departmentId: number; status: string; dueAt: number | null; createdAt: number; doneAt: number | null }[];
  departments: { id: number; name: string }[];
  /** Panel seats accepted, with the evaluator's category label and when. */
  seats: { categoryLabel: string; at: number }[];
}

export interface Count {
  label: string;
  count: number;
}

export interface ReportFigures {
  asOf: number;
  registeredInPeriod: number;
  casesTotal: number;
  byStatus: Count[];
  byCategory: Count[];
  byDepartment: Count[];
  closed: number;
  settled: number;
  /** Settled share of closed cases in percent, one decimal (41 of 46 → 89.1), null before any. */
  settleRate: number | null;
  stageDays: { label: string; averageDays: number | null; cases: number }[];
  tasks: { createdInPeriod: number; doneInPeriod: number; open: number; overdue: number };
  overdueByDepartment: Count[];
  seatsByCategory: Count[];
}

const STAGES: [CaseStatus, CaseStatus, string][] = [
  ['registered', 'panel_drawn', '登记→抽选'],
  ['panel_drawn', 'panel_confirmed', '抽选→评价组确认'],
  ['panel_confirmed', 'evaluating', '确认→开始评价'],
  ['evaluating', 'resolved', '评价→形成决议'],
  ['resolved', 'follow_up', '决议→出具文书'],
  ['follow_up', 'closed', '跟踪落实→结案'],
];

const byCount = (counts: Map<string, number>): Count[] => [...counts.entries()].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'zh'));

function tally<T>(items: T[], key: (item: T) => string | string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) for (const k of ([] as string[]).concat(key(item))) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

/**
 * The figures of the dashboard and the monthly report, from plain rows: the same function for
 * both, so the report says what the dashboard shows and both what the database holds.
 */
export function reportFigures(input: ReportInput): ReportFigures {
  const asOf = Math.min(input.to, input.now);
  const cases = input.cases.filter((c) => c.registeredAt < asOf);
  const statusAt = new Map<number, CaseStatus>();
  const reached = new Map<number, Map<CaseStatus, number>>();
  for (const e of input.events) {
    if (e.at >= asOf) continue;
    statusAt.set(e.caseId, e.toStatus);
    const times = reached.get(e.caseId) ?? new Map<CaseStatus, number>();
    if (!times.has(e.toStatus)) times.set(e.toStatus, e.at);
    reached.set(e.caseId, times);
  }
  const departmentName = (id: number) => input.departments.find((d) => d.id === id)?.name ?? `单位${id}`;
  const visits = input.visits.filter((v) => v.visitedAt < asOf);
  const settled = visits.filter((v) => v.outcome === 'settled').length;
  const open = input.tasks.filter((t) => t.createdAt < asOf && t.status !== 'cancelled' && (t.doneAt === null || t.doneAt >= asOf));
  const overdue = open.filter((t) => t.dueAt !== null && daysLeft(t.dueAt, asOf, input.timeZone) < 0);
  const statusCounts = tally(cases, (c) => statusAt.get(c.id) ?? 'registered');
  return {
    asOf,
    registeredInPeriod: cases.filter((c) => c.registeredAt >= input.from).length,
    casesTotal: cases.length,
    byStatus: CASE_STATUSES.map((s) => ({ label: CASE_STATUS_LABELS[s], count: statusCounts.get(s) ?? 0 })),
    byCategory: byCount(tally(cases, (c) => c.category)),
    byDepartment: byCount(tally(cases, (c) => c.departmentIds.map(departmentName))),
    closed: visits.length,
    settled,
    settleRate: visits.length ? Math.round((settled / visits.length) * 1000) / 10 : null,
    stageDays: STAGES.map(([from, to, label]) => {
      const spans = [...reached.values()].filter((t) => t.has(from) && t.has(to)).map((t) => (t.get(to)! - t.get(from)!) / 86_400_000);
      return { label, cases: spans.length, averageDays: spans.length ? Math.round((spans.reduce((a, b) => a + b, 0) / spans.length) * 10) / 10 : null };
    }),
    tasks: {
      createdInPeriod: input.tasks.filter((t) => t.createdAt >= input.from && t.createdAt < asOf && t.status !== 'cancelled').length,
      doneInPeriod: input.tasks.filter((t) => t.doneAt !== null && t.doneAt >= input.from && t.doneAt < asOf).length,
      open: open.length,
      overdue: overdue.length,
    },
    overdueByDepartment: byCount(tally(overdue, (t) => departmentName(t.departmentId))),
    seatsByCategory: byCount(tally(input.seats.filter((s) => s.at >= input.from && s.at < asOf), (s) => s.categoryLabel)),
  };
}
