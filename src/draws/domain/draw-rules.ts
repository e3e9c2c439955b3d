import { CATEGORIES, Category, GOVERNMENT_AFFILIATED } from '../../pool/domain/categories';

export interface CategoryQuota {
  min: number;
  max: number;
}

/** Everything that shapes a draw. Fixed at commitment time and part of the commitment hash. */
export interface DrawRules {
  /** Seats on the panel: odd, 3–9. */
  panelSize: number;
  /** Ranked alternates (候补) drawn after the panel from the same stream. */
  alternates: number;
  /** Per-category minimum and maximum; categories not listed get { min: 0, max: defaultMax }. */
  quotas: Partial<Record<Category, CategoryQuota>>;
  defaultMax: number;
  /** At most floor(panelSize × share) seats for government-affiliated categories. */
  governmentCategories: Category[];
  governmentMaxShare: number;
  /** When set, the government cap in seats (a supplementary draw fills only some seats). */
  governmentMaxSeats?: number;
  /** Supplementary draws: the seat numbers the result fills, in order. Recorded, not used by the algorithm. */
  fillSeats?: number[];
  /** Weight multiplier for evaluators whose expertise matches the case category; 1 turns it off. */
  expertiseWeight: number;
  /** Weight evaluators by 1/(1 + times served), so those who served less are likelier. */
  preferServedLess: boolean;
  /** Avoid evaluators living in the petitioner's street or township. */
  avoidSameTownship: boolean;
  /** Evaluations per calendar year after which an evaluator is not drawn. */
  yearlyCap: number;
  /** Former employees of a responsible department are avoided for this many years. */
  employmentYears: number;
}

export const DEFAULT_RULES: DrawRules = {
  panelSize: 5,
  alternates: 2,
  quotas: { lawyer: { min: 1, max: 2 }, scholar: { min: 1, max: 2 } },
  defaultMax: 2,
  governmentCategories: [...GOVERNMENT_AFFILIATED],
  governmentMaxShare: 0.5,
  expertiseWeight: 2,
  preferServedLess: false,
  avoidSameTownship: true,
  yearlyCap: 6,
  employmentYears: 3,
};

export function quotaOf(rules: DrawRules, category: Category): CategoryQuota {
  return rules.quotas[category] ?? { min: 0, max: rules.defaultMax };
}

export function governmentMax(rules: DrawRules): number {
  return rules.governmentMaxSeats ?? Math.floor(rules.panelSize * rules.governmentMaxShare);
}

/** Problems with the rules themselves, by field, in Chinese; empty when they are usable. */
export function rulesProblems(rules: DrawRules, supplementary = false): Record<string, string> {
  const problems: Record<string, string> = {};
  if (supplementary) {
    // A supplementary draw fills the open seats: 1–9 of them, any parity.
    if (!Number.isInteger(rules.panelSize) || rules.panelSize < 1 || rules.panelSize > 9) problems.panelSize = '补充抽选的席位数应为1至9';
  } else if (!Number.isInteger(rules.panelSize) || rules.panelSize < 3 || rules.panelSize > 9 || rules.panelSize % 2 === 0) {
    problems.panelSize = '评价组人数应为3至9之间的奇数';
  }
  if (!Number.isInteger(rules.alternates) || rules.alternates < 0 || rules.alternates > 5) problems.alternates = '候补人数应为0至5';
  if (!Number.isInteger(rules.defaultMax) || rules.defaultMax < 1 || rules.defaultMax > 9) problems.defaultMax = '每类人数上限应为1至9';
  if (!Number.isInteger(rules.expertiseWeight) || rules.expertiseWeight < 1 || rules.expertiseWeight > 5) problems.expertiseWeight = '专业匹配权重应为1至5的整数';
  if (!Number.isInteger(rules.yearlyCap) || rules.yearlyCap < 1 || rules.yearlyCap > 50) problems.yearlyCap = '年度参评上限应为1至50';
  if (!Number.isInteger(rules.employmentYears) || rules.employmentYears < 0 || rules.employmentYears > 10) problems.employmentYears = '任职回避年限应为0至10';
  if (!(rules.governmentMaxShare >= 0 && rules.governmentMaxShare <= 1)) problems.governmentMaxShare = '政府关联人员比例应在0至1之间';
  if (rules.governmentMaxSeats !== undefined && !(Number.isInteger(rules.governmentMaxSeats) && rules.governmentMaxSeats >= 0 && rules.governmentMaxSeats <= 9)) problems.governmentMaxSeats = '政府关联人员席位上限应为0至9';
  if (!rules.quotas || typeof rules.quotas !== 'object') return { ...problems, quotas: '缺少各类别人数规则' };
  let minSum = 0;
  for (const [category, quota] of Object.entries(rules.quotas) as [Category, CategoryQuota][]) {
    if (!CATEGORIES.includes(category)) problems[`quotas.${category}`] = '未知的人员类别';
    else if (!Number.isInteger(quota.min) || !Number.isInteger(quota.max) || quota.min < 0 || quota.max < quota.min || quota.max > 9) {
      problems[`quotas.${category}`] = '最少人数不能大于最多人数，且都应为0至9的整数';
    } else minSum += quota.min;
  }
  if (!problems.panelSize && minSum > rules.panelSize) problems.quotas = `各类最少人数之和（${minSum}）超过评价组人数（${rules.panelSize}）`;
  return problems;
}

/** JSON with keys sorted at every level: the exact bytes that are hashed (docs/draw-algorithm.md §2). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
