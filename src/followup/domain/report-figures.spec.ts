import { reportFigures, ReportInput } from './report-figures';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1, 0, 0); // 1 November 2026 08:00 in Shanghai

function input(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    from: T0, to: T0 + 30 * DAY, now: T0 + 40 * DAY, timeZone: 'Asia/Shanghai',
    cases: [
      { id: 1, category: '征地拆迁', registeredAt: T0 + DAY, departmentIds: [1, 2] },
      { id: 2, category: '劳动社保', registeredAt: T0 + 2 * DAY, departmentIds: [1] },
      { id: 3, category: '征地拆迁', registeredAt: T0 - 10 * DAY, departmentIds: [2] },
      { id: 4, category: '物业管理', registeredAt: T0 + 35 * DAY, departmentIds: [1] },
    ],
    events: [
      { caseId: 1, at: T0 + DAY, toStatus: 'registered' }, { caseId: 1, at: T0 + 3 * DAY, toStatus: 'panel_drawn' }, { caseId: 1, at: T0 + 5 * DAY, toStatus: 'panel_confirmed' },
      { caseId: 2, at: T0 + 2 * DAY, toStatus: 'registered' }, { caseId: 2, at: T0 + 3 * DAY, toStatus: 'panel_drawn' },
      { caseId: 3, at: T0 - 10 * DAY, toStatus: 'registered' }, { caseId: 3, at: T0 + 20 * DAY, toStatus: 'follow_up' }, { caseId: 3, at: T0 + 25 * DAY, toStatus: 'closed' },
      { caseId: 1, at: T0 + 31 * DAY, toStatus: 'evaluating' },
    ],
    visits: [{ caseId: 3, visitedAt: T0 + 25 * DAY, outcome: 'settled' }],
    tasks: [
      { departmentId: 1, status: 'open', dueAt: T0 + 10 * DAY, createdAt: T0 + 5 * DAY, doneAt: null },
      { departmentId: 2, status: 'done', dueAt: T0 + 10 * DAY, createdAt: T0 + 5 * DAY, doneAt: T0 + 8 * DAY },
      { departmentId: 2, status: 'open', dueAt: T0 + 60 * DAY, createdAt: T0 + 5 * DAY, doneAt: null },
    ],
    departments: [{ id: 1, name: '市民政局' }, { id: 2, name: '市住建局' }],
    seats: [{ categoryLabel: '律师', at: T0 + 4 * DAY }, { categoryLabel: '律师', at: T0 + 4 * DAY }, { categoryLabel: '专家学者', at: T0 - DAY }],
    ...overrides,
  };
}

describe('report figures', () => {
  it('counts cases as of the end of the period, by their status then', () => {
    const f = reportFigures(input());
    expect(f.casesTotal).toBe(3); // case 4 came after the month
    expect(f.registeredInPeriod).toBe(2);
    const status = Object.fromEntries(f.byStatus.map((s) => [s.label, s.count]));
    expect(status).toMatchObject({ 评价组已确认: 1, 已抽选评价组: 1, 已结案: 1, 评价中: 0 });
    expect(f.byCategory).toEqual([{ label: '征地拆迁', count: 2 }, { label: '劳动社保', count: 1 }]);
    expect(f.byDepartment).toEqual([{ label: '市民政局', count: 2 }, { label: '市住建局', count: 2 }]); // ties in pinyin order
  });

  it('gives the settle rate with one decimal, as 41 of 46 is 89.1%', () => {
    const visits = Array.from({ length: 46 }, (_, i) => ({ caseId: i, visitedAt: T0 + DAY, outcome: (i < 41 ? 'settled' : 'unsettled') as 'settled' | 'unsettled' }));
    const f = reportFigures(input({ visits }));
    expect([f.settled, f.closed, f.settleRate]).toEqual([41, 46, 89.1]);
    expect(reportFigures(input({ visits: [] })).settleRate).toBeNull();
  });

  it('averages days per stage over the cases that passed it', () => {
    const stages = Object.fromEntries(reportFigures(input()).stageDays.map((s) => [s.label, [s.averageDays, s.cases]]));
    expect(stages['登记→抽选']).toEqual([1.5, 2]);
    expect(stages['抽选→评价组确认']).toEqual([2, 1]);
    expect(stages['跟踪落实→结案']).toEqual([5, 1]);
    expect(stages['评价→形成决议']).toEqual([null, 0]);
  });

  it('counts tasks and overdue ones by department as of the period end, and seats by category within it', () => {
    const f = reportFigures(input());
    expect(f.tasks).toEqual({ createdInPeriod: 3, doneInPeriod: 1, open: 2, overdue: 1 });
    expect(f.overdueByDepartment).toEqual([{ label: '市民政局', count: 1 }]);
    expect(f.seatsByCategory).toEqual([{ label: '律师', count: 2 }]);
  });
});
