/**
 * The four evaluation steps and what each score sheet asks, declared once (DOMAIN.md,
 * seeds/002): pages, validation and the resolution draft all read this structure.
 */
export const STEP_KEYS = ['facts', 'procedure', 'law', 'responsibility'] as const;
export type StepKey = (typeof STEP_KEYS)[number];

export interface Option {
  value: string;
  label: string;
}

export type Question =
  | { key: string; label: string; kind: 'choice'; options: Option[]; hint?: string }
  | { key: string; label: string; kind: 'text'; maxLength: number; optional?: boolean; hint?: string }
  /** One choice per responsible department of the case. */
  | { key: string; label: string; kind: 'per_department'; options: Option[]; hint?: string };

export interface StepDefinition {
  key: StepKey;
  label: string;
  summary: string;
  questions: Question[];
}

const yesPartlyNo = (yes: string, partly: string, no: string): Option[] => [
  { value: 'yes', label: yes },
  { value: 'partly', label: partly },
  { value: 'no', label: no },
];

export const STEPS: StepDefinition[] = [
  {
    key: 'facts',
    label: '事实评价',
    summary: '事实是否清楚，证据是否充分',
    questions: [
      { key: 'factsClear', label: '案件事实是否清楚', kind: 'choice', options: yesPartlyNo('清楚', '基本清楚', '不清楚') },
      { key: 'evidenceSufficient', label: '证据是否充分', kind: 'choice', options: yesPartlyNo('充分', '基本充分', '不充分') },
      { key: 'keyFacts', label: '您认定的关键争议事实', kind: 'text', maxLength: 1000 },
    ],
  },
  {
    key: 'procedure',
    label: '程序评价',
    summary: '受理、转送、办理、答复是否合规、及时',
    questions: [
      { key: 'procedureCompliant', label: '受理、转送、办理、答复程序', kind: 'choice', options: yesPartlyNo('合规', '基本合规', '不合规') },
      { key: 'timeLimitsMissed', label: '超过了哪些办理时限（没有则不填）', kind: 'text', maxLength: 500, optional: true },
    ],
  },
  {
    key: 'law',
    label: '政策法律适用评价',
    summary: '诉求有无法律政策依据，适用是否正确，处理结果是否到位',
    questions: [
      { key: 'legalBasis', label: '信访诉求有无法律政策依据', kind: 'choice', options: yesPartlyNo('有', '部分有', '无') },
      { key: 'appliedCorrectly', label: '法律政策适用是否正确', kind: 'choice', options: yesPartlyNo('正确', '基本正确', '不正确') },
      { key: 'resultInPlace', label: '处理结果是否到位', kind: 'choice', options: yesPartlyNo('到位', '基本到位', '不到位') },
    ],
  },
  {
    key: 'responsibility',
    label: '信访责任评价',
    summary: '责任单位是否履职，信访人行为是否合法，是否需要救助或疏导',
    questions: [
      { key: 'departmentDuty', label: '责任单位是否依法履职', kind: 'per_department', options: yesPartlyNo('已履职', '部分履职', '未履职') },
      {
        key: 'petitionerConduct', label: '信访人行为', kind: 'choice',
        options: [{ value: 'lawful', label: '合法' }, { value: 'excessive', label: '有过激行为' }, { value: 'unlawful', label: '违法' }],
      },
      { key: 'hardship', label: '信访人是否生活困难、需要救助帮扶', kind: 'choice', options: [{ value: 'yes', label: '需要' }, { value: 'no', label: '不需要' }] },
      { key: 'needsExplanation', label: '是否需要政策解释、疏导教育', kind: 'choice', options: [{ value: 'yes', label: '需要' }, { value: 'no', label: '不需要' }] },
      { key: 'needsPsychological', label: '是否需要心理疏导', kind: 'choice', options: [{ value: 'yes', label: '需要' }, { value: 'no', label: '不需要' }] },
    ],
  },
];

/** The four core values every sheet scores, 1 (poor) to 5 (excellent), with a written opinion. */
export const CORE_VALUES: Option[] = [
  { value: 'forPeople', label: '为民' },
  { value: 'lawful', label: '合法' },
  { value: 'fair', label: '公正' },
  { value: 'efficient', label: '效率' },
];
export const VALUE_SCORES = [1, 2, 3, 4, 5] as const;

export function stepOf(key: string): StepDefinition | undefined {
  return STEPS.find((s) => s.key === key);
}

export type Answers = Record<string, unknown>;

/**
 * Form posts name per-department answers answers[departmentDuty][d3] (the form parser would
 * turn a bare numeric key into a compacted array and lose the id); the JSON API sends {"3": …}.
 */
export function normalizeAnswers(answers: Answers): Answers {
  const out: Answers = { ...answers };
  for (const [key, value] of Object.entries(out)) {
    if (value && typeof value === 'object' && !Array.isArray(value) && key !== 'values') {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [/^d\d+$/.test(k) ? k.slice(1) : k, v]));
    }
  }
  return out;
}

/**
 * Checks a sheet's answers against its step. Drafts may be incomplete; a submission must
 * answer every question that is not optional, all four core values and the opinion.
 * Unknown keys and values outside the options are refused either way.
 */
export function sheetProblems(step: StepKey, answers: Answers, departmentIds: number[], complete: boolean): Record<string, string> {
  const definition = stepOf(step)!;
  const problems: Record<string, string> = {};
  const known = new Set([...definition.questions.map((q) => q.key), 'values', 'opinion']);
  for (const key of Object.keys(answers)) if (!known.has(key)) problems[key] = '不允许的字段';
  for (const q of definition.questions) {
    const value = answers[q.key];
    const missing = value === undefined || value === null || value === '';
    if (q.kind === 'choice') {
      if (missing) { if (complete) problems[q.key] = `请选择：${q.label}`; }
      else if (!q.options.some((o) => o.value === value)) problems[q.key] = `${q.label}：不在可选范围内`;
    } else if (q.kind === 'text') {
      if (missing) { if (complete && !q.optional) problems[q.key] = `请填写：${q.label}`; }
      else if (typeof value !== 'string' || value.length > q.maxLength) problems[q.key] = `${q.label}：应为不超过${q.maxLength}字的文字`;
    } else {
      const perDepartment = (value ?? {}) as Record<string, unknown>;
      if (typeof perDepartment !== 'object' || Array.isArray(perDepartment)) { problems[q.key] = `${q.label}：格式不正确`; continue; }
      for (const [id, v] of Object.entries(perDepartment)) {
        if (!departmentIds.includes(Number(id))) problems[`${q.key}.${id}`] = '不是本案的责任单位';
        else if (!q.options.some((o) => o.value === v)) problems[`${q.key}.${id}`] = `${q.label}：不在可选范围内`;
      }
      if (complete) for (const id of departmentIds) if (perDepartment[String(id)] === undefined) problems[`${q.key}.${id}`] = `请选择：${q.label}`;
    }
  }
  const values = (answers.values ?? {}) as Record<string, unknown>;
  if (typeof values !== 'object' || Array.isArray(values)) problems.values = '核心价值评分格式不正确';
  else {
    for (const key of Object.keys(values)) if (!CORE_VALUES.some((v) => v.value === key)) problems[`values.${key}`] = '不允许的字段';
    for (const v of CORE_VALUES) {
      const score = values[v.value];
      if (score === undefined || score === null || score === '') { if (complete) problems[`values.${v.value}`] = `请为“${v.label}”评分`; }
      else if (!VALUE_SCORES.includes(Number(score) as 1)) problems[`values.${v.value}`] = `“${v.label}”评分应为1至5分`;
    }
  }
  const opinion = answers.opinion;
  if (opinion === undefined || opinion === '') { if (complete) problems.opinion = '请填写评价意见'; }
  else if (typeof opinion !== 'string' || opinion.length > 2000) problems.opinion = '评价意见应为不超过2000字的文字';
  return problems;
}
