import { Category } from '../../pool/domain/categories';
import { DrawRules } from './draw-rules';
import { EligibleEntry } from './eligible-list';

/** Why a pool member may not sit on this case's panel (回避 and availability). */
export type ExclusionCode =
  | 'suspended'
  | 'retired'
  | 'employed_by_department'
  | 'formerly_employed_by_department'
  | 'conflict_with_department'
  | 'conflict_with_petitioner'
  | 'same_township'
  | 'served_same_petitioner'
  | 'yearly_cap'
  | 'office_excluded'
  | 'already_drawn';

export const EXCLUSION_LABELS: Record<ExclusionCode, string> = {
  suspended: '已暂停',
  retired: '已退出',
  employed_by_department: '任职于责任单位',
  formerly_employed_by_department: '近年曾任职于责任单位',
  conflict_with_department: '申报与责任单位有利害关系',
  conflict_with_petitioner: '申报与信访人有利害关系',
  same_township: '与信访人同住一个乡镇/街道',
  served_same_petitioner: '曾参加该信访人其他案件的评价',
  yearly_cap: '本年度参评次数已达上限',
  office_excluded: '联席办决定回避',
  already_drawn: '已被本案抽中过',
};

export interface Exclusion {
  code: ExclusionCode;
  /** e.g. the department's name, or the office's recorded reason. */
  detail?: string;
}

export interface PoolMember {
  id: number;
  category: Category;
  status: 'active' | 'suspended' | 'retired';
  employerDepartmentId: number | null;
  /** Lives in the petitioner's district and street/township. */
  sameTownship: boolean;
  /** Has the case's petition category among their expertise areas. */
  expertiseMatch: boolean;
  servedTotal: number;
  servedThisYear: number;
}

export interface DeclaredConflict {
  evaluatorId: number;
  kind: 'employer' | 'relative' | 'other';
  departmentId: number | null;
  /** The year a past employment ended; null while it lasts. */
  untilYear: number | null;
  /** Set when the declaration names a person (the petitioner, by ID number). */
  personIdNumber: string | null;
}

export interface ScreeningCase {
  departmentIds: number[];
  petitionerIdNumber: string;
  petitionerDistrict: string;
  petitionerTownship: string;
}

export interface ScreeningFacts {
  conflicts: DeclaredConflict[];
  /** Evaluators who served on an earlier evaluation of the same petitioner. */
  servedSamePetitioner: ReadonlySet<number>;
  /** The office's recorded exclusions for this case: evaluator → reason. */
  officeExclusions: ReadonlyMap<number, string>;
  /** Everyone drawn for this case before (a supplementary draw leaves them out). */
  alreadyDrawn?: ReadonlySet<number>;
  departmentNames: ReadonlyMap<number, string>;
  /** The calendar year of the draw (for former employment and the yearly cap). */
  year: number;
}

export interface ScreeningResult {
  eligible: EligibleEntry[];
  excluded: { evaluatorId: number; category: Category; reasons: Exclusion[] }[];
}

/**
 * Applies every avoidance rule to every pool member and keeps all reasons, so the office
 * can see exactly why each member was left out (docs/draw-algorithm.md §1).
 */
export function screenPool(pool: PoolMember[], kase: ScreeningCase, rules: DrawRules, facts: ScreeningFacts): ScreeningResult {
  const departments = new Set(kase.departmentIds);
  const conflictsBy = new Map<number, DeclaredConflict[]>();
  for (const c of facts.conflicts) conflictsBy.set(c.evaluatorId, [...(conflictsBy.get(c.evaluatorId) ?? []), c]);
  const name = (id: number | null) => (id === null ? undefined : facts.departmentNames.get(id));

  const eligible: EligibleEntry[] = [];
  const excluded: ScreeningResult['excluded'] = [];
  for (const m of pool) {
    const reasons: Exclusion[] = [];
    if (m.status === 'suspended') reasons.push({ code: 'suspended' });
    if (m.status === 'retired') reasons.push({ code: 'retired' });
    if (m.employerDepartmentId !== null && departments.has(m.employerDepartmentId)) {
      reasons.push({ code: 'employed_by_department', detail: name(m.employerDepartmentId) });
    }
    for (const c of conflictsBy.get(m.id) ?? []) {
      if (c.personIdNumber && c.personIdNumber === kase.petitionerIdNumber) reasons.push({ code: 'conflict_with_petitioner' });
      if (c.departmentId === null || !departments.has(c.departmentId)) continue;
      if (c.kind === 'employer') {
        if (c.untilYear === null) reasons.push({ code: 'employed_by_department', detail: name(c.departmentId) });
        else if (c.untilYear >= facts.year - rules.employmentYears) reasons.push({ code: 'formerly_employed_by_department', detail: name(c.departmentId) });
      } else {
        reasons.push({ code: 'conflict_with_department', detail: name(c.departmentId) });
      }
    }
    if (rules.avoidSameTownship && kase.petitionerTownship && m.sameTownship) {
      reasons.push({ code: 'same_township', detail: `${kase.petitionerDistrict}${kase.petitionerTownship}` });
    }
    if (facts.servedSamePetitioner.has(m.id)) reasons.push({ code: 'served_same_petitioner' });
    if (m.servedThisYear >= rules.yearlyCap) reasons.push({ code: 'yearly_cap', detail: `${m.servedThisYear}次` });
    const officeReason = facts.officeExclusions.get(m.id);
    if (officeReason !== undefined) reasons.push({ code: 'office_excluded', detail: officeReason });
    if (facts.alreadyDrawn?.has(m.id)) reasons.push({ code: 'already_drawn' });

    if (reasons.length) excluded.push({ evaluatorId: m.id, category: m.category, reasons: dedupe(reasons) });
    else eligible.push({ id: m.id, category: m.category, expertiseMatch: m.expertiseMatch, served: m.servedTotal });
  }
  return { eligible, excluded };
}

function dedupe(reasons: Exclusion[]): Exclusion[] {
  const seen = new Set<string>();
  return reasons.filter((r) => {
    const key = `${r.code}|${r.detail ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * "after avoidance only 0 lawyers remain: 3 excluded as employees of 住建局": the
 * exclusions of one category, counted by reason, for infeasibility messages.
 */
export function exclusionSummary(excluded: ScreeningResult['excluded'], category: Category): string {
  const counts = new Map<string, number>();
  for (const e of excluded) {
    if (e.category !== category) continue;
    const first = e.reasons[0];
    const label = first.code === 'employed_by_department' || first.code === 'formerly_employed_by_department' || first.code === 'conflict_with_department'
      ? `${EXCLUSION_LABELS[first.code]}（${first.detail ?? ''}）`
      : EXCLUSION_LABELS[first.code];
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts.entries()].map(([label, n]) => `${n}名因${label}被排除`).join('，');
}
