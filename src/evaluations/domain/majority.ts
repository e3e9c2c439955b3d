export type VoteRule = 'majority' | 'two_thirds';
export type VoteChoice = 'agree' | 'disagree' | 'abstain';

export const VOTE_RULE_LABELS: Record<VoteRule, string> = { majority: '全体成员过半数', two_thirds: '全体成员三分之二以上' };

/**
 * Whether an item passes. The base is the full panel, not those who voted: abstentions and
 * absences count against. majority: agree > panel / 2; two_thirds: agree ≥ 2/3 × panel.
 */
export function passes(agree: number, panelSize: number, rule: VoteRule): boolean {
  return rule === 'majority' ? agree * 2 > panelSize : agree * 3 >= panelSize * 2;
}

export function tally(choices: VoteChoice[]): Record<VoteChoice, number> {
  const t = { agree: 0, disagree: 0, abstain: 0 };
  for (const c of choices) t[c]++;
  return t;
}

/**
 * The value most sheets chose; a tie goes to the tied option listed first in the criteria
 * (options run from most to least favourable to the petitioner's position). Null if no sheet answered.
 */
export function plurality(values: (string | undefined)[], optionOrder: string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  if (counts.size === 0) return null;
  const best = Math.max(...counts.values());
  return optionOrder.find((o) => counts.get(o) === best) ?? null;
}
