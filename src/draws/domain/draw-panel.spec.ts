import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { CATEGORIES, Category } from '../../pool/domain/categories';
import { drawPanel, InfeasibleDraw } from './draw-panel';
import { DEFAULT_RULES, DrawRules, governmentMax, quotaOf } from './draw-rules';
import { EligibleEntry, eligibleListOf } from './eligible-list';
import { Sha256Stream } from './random-stream';

const seedFrom = (text: string) => createHash('sha256').update(text).digest();

/** A pool with `perCategory` evaluators of each category, ids 1…n. */
function pool(perCategory: number, extra: Partial<Record<Category, number>> = {}): EligibleEntry[] {
  const entries: EligibleEntry[] = [];
  let id = 1;
  for (const category of CATEGORIES) {
    for (let i = 0; i < (extra[category] ?? perCategory); i++) entries.push({ id: id++, category, expertiseMatch: i % 3 === 0, served: i % 4 });
  }
  return entries;
}

const entryArb = fc.record({
  category: fc.constantFrom(...CATEGORIES),
  expertiseMatch: fc.boolean(),
  served: fc.nat(8),
});
const poolArb = fc.array(entryArb, { minLength: 0, maxLength: 120 }).map((list) => list.map((e, i) => ({ ...e, id: i * 3 + 1 })));
const rulesArb = fc.record({
  panelSize: fc.constantFrom(3, 5, 7, 9),
  alternates: fc.integer({ min: 0, max: 4 }),
  lawyerMin: fc.integer({ min: 0, max: 2 }),
  scholarMin: fc.integer({ min: 0, max: 2 }),
  defaultMax: fc.integer({ min: 1, max: 4 }),
  expertiseWeight: fc.integer({ min: 1, max: 5 }),
  preferServedLess: fc.boolean(),
}).map((r): DrawRules => ({
  ...DEFAULT_RULES,
  panelSize: r.panelSize,
  alternates: r.alternates,
  defaultMax: r.defaultMax,
  quotas: { lawyer: { min: r.lawyerMin, max: Math.max(r.lawyerMin, r.defaultMax) }, scholar: { min: r.scholarMin, max: Math.max(r.scholarMin, r.defaultMax) } },
  expertiseWeight: r.expertiseWeight,
  preferServedLess: r.preferServedLess,
}));

describe('drawPanel', () => {
  it('never breaks a quota, the government cap or the eligible list, and never repeats anyone', () => {
    fc.assert(
      fc.property(poolArb, rulesArb, fc.string(), (entries, rules, seedText) => {
        const list = eligibleListOf(entries);
        let panel;
        try {
          panel = drawPanel(list, rules, new Sha256Stream(seedFrom(seedText)));
        } catch (error) {
          expect(error).toBeInstanceOf(InfeasibleDraw);
          return;
        }
        const eligibleIds = new Set(entries.map((e) => e.id));
        const chosen = [...panel.members, ...panel.alternates].map((s) => s.evaluatorId);
        expect(new Set(chosen).size).toBe(chosen.length);
        expect(chosen.every((id) => eligibleIds.has(id))).toBe(true);
        expect(panel.members).toHaveLength(rules.panelSize);
        expect(panel.alternates.length).toBe(Math.min(rules.alternates, entries.length - rules.panelSize));
        for (const category of CATEGORIES) {
          const n = panel.members.filter((s) => s.category === category).length;
          const quota = quotaOf(rules, category);
          expect(n).toBeGreaterThanOrEqual(quota.min);
          expect(n).toBeLessThanOrEqual(quota.max);
        }
        const gov = panel.members.filter((s) => rules.governmentCategories.includes(s.category)).length;
        expect(gov).toBeLessThanOrEqual(governmentMax(rules));
      }),
      { numRuns: 400, seed: 42 },
    );
  });

  it('gives the same panel for the same inputs, every time', () => {
    fc.assert(
      fc.property(poolArb, rulesArb, fc.string(), (entries, rules, seedText) => {
        const run = () => {
          try {
            return JSON.stringify(drawPanel(eligibleListOf(entries), rules, new Sha256Stream(seedFrom(seedText))));
          } catch (error) {
            return (error as Error).message;
          }
        };
        expect(run()).toBe(run());
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('says which constraint cannot be met instead of drawing a partial panel', () => {
    const noLawyers = pool(3, { lawyer: 0 });
    expect(() => drawPanel(eligibleListOf(noLawyers), DEFAULT_RULES, new Sha256Stream(seedFrom('x')))).toThrow('回避后仅剩0名律师（至少需要1名）');
    const tiny = pool(0, { lawyer: 1, scholar: 1, volunteer: 1 });
    expect(() => drawPanel(eligibleListOf(tiny), DEFAULT_RULES, new Sha256Stream(seedFrom('x')))).toThrow('符合条件的评价员最多只能组成3人，不足5人');
    const tooManyMins: DrawRules = { ...DEFAULT_RULES, panelSize: 3, quotas: { lawyer: { min: 2, max: 2 }, scholar: { min: 2, max: 2 } } };
    expect(() => drawPanel(eligibleListOf(pool(3)), tooManyMins, new Sha256Stream(seedFrom('x')))).toThrow('各类最少人数之和（4）超过评价组人数（3）');
  });

  it('respects the cap on government-affiliated members', () => {
    // Nine cadres and deputies, two of everything else: at most 2 of 5 seats may be government.
    const entries = pool(2, { party_cadre: 9, deputy: 9 });
    for (let i = 0; i < 200; i++) {
      const panel = drawPanel(eligibleListOf(entries), DEFAULT_RULES, new Sha256Stream(seedFrom(`gov${i}`)));
      const gov = panel.members.filter((s) => s.category === 'party_cadre' || s.category === 'deputy').length;
      expect(gov).toBeLessThanOrEqual(2);
    }
  });
});

/** Upper critical values of chi-square at p = 0.001, by degrees of freedom. */
function chiSquareCritical(df: number): number {
  // Wilson–Hilferty approximation; accurate to well under 1% for df ≥ 3.
  const z = 3.090232;
  return df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;
}

describe('fairness over many draws', () => {
  it('gives every eligible evaluator of a category the same chance (chi-square over 20,000 seeded draws)', () => {
    const rules: DrawRules = { ...DEFAULT_RULES, expertiseWeight: 1, preferServedLess: false };
    const entries = pool(12, { lawyer: 20, scholar: 8, party_cadre: 30 });
    const list = eligibleListOf(entries);
    const counts = new Map<number, number>();
    const draws = 20_000;
    for (let i = 0; i < draws; i++) {
      for (const seat of drawPanel(list, rules, new Sha256Stream(seedFrom(`chi-square-${i}`))).members) {
        counts.set(seat.evaluatorId, (counts.get(seat.evaluatorId) ?? 0) + 1);
      }
    }
    for (const category of CATEGORIES) {
      const ids = entries.filter((e) => e.category === category).map((e) => e.id);
      const observed = ids.map((id) => counts.get(id) ?? 0);
      const total = observed.reduce((a, b) => a + b, 0);
      const expected = total / ids.length;
      const chi = observed.reduce((sum, o) => sum + (o - expected) ** 2 / expected, 0);
      expect({ category, chi: Math.round(chi * 10) / 10, ok: chi < chiSquareCritical(ids.length - 1) }).toEqual({ category, chi: Math.round(chi * 10) / 10, ok: true });
    }
  });

  it('with the served-less preference on, the spread of served counts shrinks', () => {
    const spread = (preferServedLess: boolean) => {
      const rules: DrawRules = { ...DEFAULT_RULES, expertiseWeight: 1, preferServedLess, quotas: {}, defaultMax: 5, governmentCategories: [] };
      const entries = pool(0, { volunteer: 40 }).map((e) => ({ ...e, served: 0 }));
      for (let round = 0; round < 300; round++) {
        const panel = drawPanel(eligibleListOf(entries), rules, new Sha256Stream(seedFrom(`served-${round}`)));
        for (const seat of panel.members) entries.find((e) => e.id === seat.evaluatorId)!.served++;
      }
      const served = entries.map((e) => e.served);
      const mean = served.reduce((a, b) => a + b, 0) / served.length;
      return Math.sqrt(served.reduce((s, v) => s + (v - mean) ** 2, 0) / served.length);
    };
    const off = spread(false);
    const on = spread(true);
    // 300 draws × 5 seats over 40 people: 37.5 each on average.
    expect(off).toBeGreaterThan(3);
    expect(on).toBeLessThan(off / 3);
  });
});
