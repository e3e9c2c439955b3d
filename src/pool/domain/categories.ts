/** The nine categories of the talent pool (DOMAIN.md). */
export const CATEGORIES = [
  'party_cadre',
  'scholar',
  'lawyer',
  'volunteer',
  'deputy',
  'counsellor',
  'veteran',
  'elder',
  'senior_petitioner',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, string> = {
  party_cadre: '党员干部',
  scholar: '知名学者',
  lawyer: '律师',
  volunteer: '志愿者',
  deputy: '两代表一委员',
  counsellor: '心理咨询师',
  veteran: '退役军人',
  elder: '五老人员',
  senior_petitioner: '信访老户',
};

/** Categories whose members are affiliated with government (the draw caps their share). */
export const GOVERNMENT_AFFILIATED: ReadonlySet<Category> = new Set<Category>(['party_cadre', 'deputy']);

/** Accepts the code or the Chinese label (as in the office's Excel lists). */
export function parseCategory(input: string): Category | null {
  const value = input.trim();
  if ((CATEGORIES as readonly string[]).includes(value)) return value as Category;
  const found = CATEGORIES.find((c) => CATEGORY_LABELS[c] === value);
  return found ?? null;
}

/** Expertise areas, the same vocabulary as case petition categories, so draws can match them. */
export const EXPERTISE_AREAS = [
  '民政救助',
  '市容环保',
  '就业养老',
  '物业管理',
  '生活保障',
  '征地拆迁',
  '劳动社保',
  '涉法涉诉',
  '医疗卫生',
  '教育',
  '农村农业',
  '心理疏导',
  '其他',
] as const;

/** Splits "征地拆迁、劳动社保" / "征地拆迁,劳动社保" into known areas; unknown names are returned apart. */
export function parseExpertise(input: string | string[]): { areas: string[]; unknown: string[] } {
  const parts = (Array.isArray(input) ? input : input.split(/[,，、;；\s]+/)).map((s) => s.trim()).filter(Boolean);
  const areas: string[] = [];
  const unknown: string[] = [];
  for (const part of parts) {
    if ((EXPERTISE_AREAS as readonly string[]).includes(part)) {
      if (!areas.includes(part)) areas.push(part);
    } else unknown.push(part);
  }
  return { areas, unknown };
}
