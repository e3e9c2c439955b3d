export type Satisfaction = 'satisfied' | 'basically_satisfied' | 'dissatisfied';
export type PetitionLevel = 'county' | 'city' | 'province' | 'beijing';

export const SATISFACTION_LABELS: Record<Satisfaction, string> = { satisfied: '满意', basically_satisfied: '基本满意', dissatisfied: '不满意' };
export const LEVEL_LABELS: Record<PetitionLevel, string> = { county: '县级', city: '市级', province: '省级', beijing: '进京' };
export const CHANNEL_LABELS = { visit: '走访', letter: '来信', online: '网上信访', phone: '电话' } as const;
export const AGENT_LABELS = { cadre: '干部', lawyer: '律师', volunteer: '志愿者' } as const;

/** Repeat petitions to the province or Beijing that make a case eligible on their own. */
export const REPEAT_THRESHOLD = 3;

export interface EligibilityFinding {
  eligible: boolean;
  /** Why, in Chinese, one line each: shown on the case page. */
  grounds: string[];
  highLevelPetitions: number;
}

/**
 * Which cases the third-party evaluation takes (DOMAIN.md): the petitioner is dissatisfied
 * with the handling result, or has petitioned the province or Beijing 3 or more times.
 */
export function assessEligibility(satisfaction: Satisfaction, history: { level: PetitionLevel }[]): EligibilityFinding {
  const highLevel = history.filter((h) => h.level === 'province' || h.level === 'beijing').length;
  const grounds: string[] = [];
  if (satisfaction === 'dissatisfied') grounds.push('信访人对处理结果不满意');
  if (highLevel >= REPEAT_THRESHOLD) grounds.push(`赴省进京重复信访${highLevel}次（${REPEAT_THRESHOLD}次及以上）`);
  if (grounds.length === 0) {
    grounds.push(`信访人对处理结果${SATISFACTION_LABELS[satisfaction]}，赴省进京信访${highLevel}次（不足${REPEAT_THRESHOLD}次）`);
  }
  return { eligible: satisfaction === 'dissatisfied' || highLevel >= REPEAT_THRESHOLD, grounds, highLevelPetitions: highLevel };
}
