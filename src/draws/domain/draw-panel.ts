import { CATEGORIES, CATEGORY_LABELS, Category } from '../../pool/domain/categories';
import { DrawRules, governmentMax, quotaOf } from './draw-rules';
import { EligibleList } from './eligible-list';
import { RandomSource } from './random-stream';

/** 720720 = lcm(1…16): served-less weights stay whole numbers for the commonest counts. */
export const BASE_WEIGHT = 720720;

/**
 * An evaluator's integer weight (docs/draw-algorithm.md §4): BASE_WEIGHT, divided by
 * (1 + times served − the fewest times anyone on the list served) and rounded down when
 * the served-less preference is on, times the expertise weight when their expertise
 * matches the case category. Counting from the list's minimum keeps the preference as
 * strong in the tenth year as in the first.
 */
export function weightOf(match: number, served: number, rules: DrawRules, minServed = 0): number {
  const servedPart = rules.preferServedLess ? Math.max(1, Math.floor(BASE_WEIGHT / (1 + served - minServed))) : BASE_WEIGHT;
  return servedPart * (match === 1 ? rules.expertiseWeight : 1);
}

export interface Seat {
  evaluatorId: number;
  category: Category;
  /** 1-based: seat on the panel, or rank among alternates. */
  position: number;
}

export interface QuotaLine {
  category: Category;
  available: number;
  min: number;
  max: number;
  chosen: number;
}

export interface DrawnPanel {
  members: Seat[];
  alternates: Seat[];
  quotas: QuotaLine[];
  governmentMax: number;
}

/**
 * One category's candidates: the slice [start, start + count) of the shared `order` and
 * `cumulative` arrays (list positions grouped by category, in list order, with running
 * weight sums that restart at each category).
 */
interface Pool {
  order: Int32Array;
  cumulative: Float64Array;
  start: number;
  count: number;
  total: number;
  /** Offsets (within the slice) already picked, kept sorted. */
  picked: number[];
  pickedWeight: number;
}

export class InfeasibleDraw extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('；'));
  }
}

/**
 * Draws a panel and ranked alternates from the eligible list (docs/draw-algorithm.md §5):
 * first each category's minimum, in the fixed category order; then the remaining seats,
 * choosing a category in proportion to its remaining weight among those still under their
 * maximum and the government cap, then an evaluator in it in proportion to weight; then
 * alternates the same way with no quota. Sampling is without replacement and exact.
 * Throws InfeasibleDraw, naming the constraint, instead of returning a partial panel.
 */
export function drawPanel(list: EligibleList, rules: DrawRules, random: RandomSource): DrawnPanel {
  const pools = buildPools(list, rules);
  const quotas = CATEGORIES.map((category, c) => ({ category, available: pools[c].count, ...quotaOf(rules, category), chosen: 0 }));
  const govMax = governmentMax(rules);
  const isGov = CATEGORIES.map((c) => rules.governmentCategories.includes(c));
  const problems = capacityProblems(quotas, isGov, govMax, rules.panelSize);
  if (problems.length) throw new InfeasibleDraw(problems);

  const members: Seat[] = [];
  let govChosen = 0;
  const take = (c: number, position: number, into: Seat[]) => {
    const at = pickWithin(pools[c], random);
    into.push({ evaluatorId: list.ids[at], category: CATEGORIES[c], position });
    if (into === members) {
      quotas[c].chosen++;
      if (isGov[c]) govChosen++;
    }
  };

  for (let c = 0; c < CATEGORIES.length; c++) {
    for (let k = 0; k < quotas[c].min; k++) take(c, members.length + 1, members);
  }
  while (members.length < rules.panelSize) {
    const allowed = (c: number) => quotas[c].chosen < quotas[c].max && remaining(pools[c]) > 0 && (!isGov[c] || govChosen < govMax);
    const c = pickCategory(pools, allowed, random);
    if (c < 0) throw new InfeasibleDraw(['按类别上限，符合条件的评价员不足以组成评价组']);
    take(c, members.length + 1, members);
  }
  const alternates: Seat[] = [];
  while (alternates.length < rules.alternates) {
    const c = pickCategory(pools, (i) => remaining(pools[i]) > 0, random);
    if (c < 0) break;
    take(c, alternates.length + 1, alternates);
  }
  return { members, alternates, quotas, governmentMax: govMax };
}

/**
 * Can the rules be met at all with these many candidates per category? Checked before any
 * random number is drawn; each problem names its constraint.
 */
export function capacityProblems(quotas: QuotaLine[], isGov: boolean[], govMax: number, panelSize: number): string[] {
  const problems: string[] = [];
  quotas.forEach((q) => {
    if (q.min > q.available) problems.push(`回避后仅剩${q.available}名${CATEGORY_LABELS[q.category]}（至少需要${q.min}名）`);
  });
  let minSum = 0;
  let govMinSum = 0;
  let freeCapacity = 0;
  let govCapacity = 0;
  quotas.forEach((q, c) => {
    minSum += q.min;
    if (isGov[c]) govMinSum += q.min;
    const capacity = Math.min(q.max, q.available);
    if (isGov[c]) govCapacity += capacity;
    else freeCapacity += capacity;
  });
  if (minSum > panelSize) problems.push(`各类最少人数之和（${minSum}）超过评价组人数（${panelSize}）`);
  if (govMinSum > govMax) problems.push(`政府关联类别的最少人数之和（${govMinSum}）超过上限（${govMax}）`);
  const capacity = freeCapacity + Math.min(govCapacity, govMax);
  if (capacity < panelSize) problems.push(`按各类上限和政府关联人员上限，符合条件的评价员最多只能组成${capacity}人，不足${panelSize}人`);
  return problems;
}

let scratch = { order: new Int32Array(0), cumulative: new Float64Array(0) };

function buildPools(list: EligibleList, rules: DrawRules): Pool[] {
  const n = list.ids.length;
  const counts = new Int32Array(CATEGORIES.length);
  let minServed = n > 0 ? list.served[0] : 0;
  for (let i = 0; i < n; i++) {
    counts[list.categories[i]]++;
    if (list.served[i] < minServed) minServed = list.served[i];
  }
  // Two flat arrays for all categories (a counting sort by category), reused between draws:
  // at a million candidates, allocating 12 MB per draw costs more than the draw.
  if (scratch.order.length < n) scratch = { order: new Int32Array(n), cumulative: new Float64Array(n) };
  const { order, cumulative } = scratch;
  const next = new Int32Array(CATEGORIES.length);
  const totals = new Float64Array(CATEGORIES.length);
  for (let c = 1; c < CATEGORIES.length; c++) next[c] = next[c - 1] + counts[c - 1];
  const starts = Int32Array.from(next);
  // Weights depend only on (match, served); the common small served counts are computed once.
  const cache = new Float64Array(64);
  const matchFactor = rules.expertiseWeight;
  for (let i = 0; i < n; i++) {
    const c = list.categories[i];
    const served = list.served[i];
    let base = served < 64 ? cache[served] : 0;
    if (base === 0) {
      base = weightOf(0, served, rules, minServed);
      if (served < 64) cache[served] = base;
    }
    const k = next[c]++;
    order[k] = i;
    totals[c] += list.matches[i] === 1 ? base * matchFactor : base;
    cumulative[k] = totals[c];
  }
  return Array.from(counts, (count, c) => ({ order, cumulative, start: starts[c], count, total: totals[c], picked: [], pickedWeight: 0 }));
}

function remaining(pool: Pool): number {
  return pool.total - pool.pickedWeight;
}

/** A category in proportion to remaining weight, among the allowed, in CATEGORIES order; -1 if none. */
function pickCategory(pools: Pool[], allowed: (c: number) => boolean, random: RandomSource): number {
  let total = 0;
  const ok: number[] = [];
  for (let c = 0; c < pools.length; c++) {
    if (allowed(c)) {
      ok.push(c);
      total += remaining(pools[c]);
    }
  }
  if (total === 0) return -1;
  let r = random.below(total);
  for (const c of ok) {
    const w = remaining(pools[c]);
    if (r < w) return c;
    r -= w;
  }
  return ok[ok.length - 1];
}

/**
 * One evaluator from a pool in proportion to weight, never one already picked: a number
 * below the unpicked weight is mapped past the picked intervals onto the full cumulative
 * scale, then found by binary search. Returns the position in the eligible list.
 */
function pickWithin(pool: Pool, random: RandomSource): number {
  const { cumulative, start } = pool;
  const cum = (k: number) => (k < 0 ? 0 : cumulative[start + k]);
  let r = random.below(remaining(pool));
  for (const p of pool.picked) {
    const from = cum(p - 1);
    if (r >= from) r += cum(p) - from;
    else break;
  }
  let lo = 0;
  let hi = pool.count - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum(mid) > r) hi = mid;
    else lo = mid + 1;
  }
  pool.pickedWeight += cum(lo) - cum(lo - 1);
  pool.picked.push(lo);
  pool.picked.sort((a, b) => a - b);
  return pool.order[start + lo];
}
