import { halfWidthDigits } from '../../common/form-transforms';
import { Answers, StepKey, stepOf } from './criteria';
import { plurality } from './majority';

export type Finding = 'reasonable' | 'partly_reasonable' | 'unreasonable';
export type Routing = 'supervision' | 'enforcement' | 'leading_group';
export type MeasureKind = 'solve' | 'relief' | 'explanation' | 'psychological' | 'legal';

export const FINDING_LABELS: Record<Finding, string> = { reasonable: '诉求合理', partly_reasonable: '诉求部分合理', unreasonable: '诉求无理或要求过高' };
export const ROUTING_LABELS: Record<Routing, string> = { supervision: '移交督察大队督办', enforcement: '移交执法大队依法处置', leading_group: '提请领导组研究决定' };
export const MEASURE_LABELS: Record<MeasureKind, string> = {
  solve: '限期解决落实到位',
  relief: '救助帮扶',
  explanation: '政策解释、疏导教育',
  psychological: '心理疏导干预',
  legal: '依法处理',
};

/** One votable item of a resolution. */
export type ResolutionItem =
  | { key: 'finding'; kind: 'finding'; finding: Finding; basis: string }
  | { key: string; kind: 'department'; departmentId: number; departmentName: string; atFault: boolean; basis: string }
  | { key: string; kind: 'measure'; measure: MeasureKind; departmentId: number | null; departmentName: string | null; days: number | null; text: string; basis: string }
  | { key: 'routing'; kind: 'routing'; routing: Routing; basis: string };

export type SheetsByStep = Partial<Record<StepKey, Answers[]>>;

const SOLVE_DAYS = 30;

function countText(values: (string | undefined)[], step: StepKey, question: string): string {
  const q = stepOf(step)!.questions.find((x) => x.key === question)!;
  const options = 'options' in q ? q.options : [];
  const parts = options.map((o) => `${o.label}${values.filter((v) => v === o.value).length}票`);
  return `${q.label}：${parts.join('，')}`;
}

const answersOf = (sheets: SheetsByStep, step: StepKey, key: string) => (sheets[step] ?? []).map((a) => a[key] as string | undefined);

/**
 * The resolution the sheets point to, by plurality of the submitted sheets of each closed
 * step (docs in criteria order). The chair may edit it before the panel votes.
 *  - finding: from "legal basis" (有 → 合理, 部分有 → 部分合理, 无 → 无理或要求过高);
 *  - each department: at fault unless more than half of the sheets found it fulfilled its duty;
 *  - measures: solve within 30 days by the at-fault departments when the demand is (partly)
 *    reasonable; relief, explanation, psychological help as most sheets asked; handling by
 *    law when most found the petitioner's conduct unlawful (or explanation when unreasonable);
 *  - routing: (partly) reasonable but not in place → supervision; unreasonable with excessive
 *    or unlawful conduct → enforcement; otherwise none (the chair may choose the leading group).
 */
export function draftResolution(sheets: SheetsByStep, departments: { id: number; name: string }[]): ResolutionItem[] {
  const items: ResolutionItem[] = [];
  const legalBasis = answersOf(sheets, 'law', 'legalBasis');
  const basis = plurality(legalBasis, ['yes', 'partly', 'no']) ?? 'partly';
  const finding: Finding = basis === 'yes' ? 'reasonable' : basis === 'partly' ? 'partly_reasonable' : 'unreasonable';
  items.push({ key: 'finding', kind: 'finding', finding, basis: countText(legalBasis, 'law', 'legalBasis') });

  const atFault: { id: number; name: string }[] = [];
  for (const d of departments) {
    const duty = (sheets.responsibility ?? []).map((a) => ((a.departmentDuty ?? {}) as Record<string, string>)[String(d.id)]);
    // Cleared only when more than half of the answering sheets found the duty fulfilled.
    const answered = duty.filter((v) => v !== undefined).length;
    const fulfilled = answered > 0 && duty.filter((v) => v === 'yes').length * 2 > answered;
    if (!fulfilled) atFault.push(d);
    items.push({ key: `department:${d.id}`, kind: 'department', departmentId: d.id, departmentName: d.name, atFault: !fulfilled, basis: `${d.name}：已履职${duty.filter((v) => v === 'yes').length}票，部分履职${duty.filter((v) => v === 'partly').length}票，未履职${duty.filter((v) => v === 'no').length}票` });
  }

  const measure = (kind: MeasureKind, department: { id: number; name: string } | null, days: number | null, text: string, why: string) =>
    items.push({ key: `measure:${kind}${department ? `:${department.id}` : ''}`, kind: 'measure', measure: kind, departmentId: department?.id ?? null, departmentName: department?.name ?? null, days, text, basis: why });

  if (finding !== 'unreasonable') {
    for (const d of atFault.length ? atFault : departments.slice(0, 1)) {
      measure('solve', d, SOLVE_DAYS, `${d.name}在${SOLVE_DAYS}日内依法依规解决到位`, FINDING_LABELS[finding]);
    }
  }
  const yes = (key: string) => plurality(answersOf(sheets, 'responsibility', key), ['yes', 'no']) === 'yes';
  if (yes('hardship')) measure('relief', departments[0] ?? null, SOLVE_DAYS, '通过信访救助资金等渠道开展救助帮扶', countText(answersOf(sheets, 'responsibility', 'hardship'), 'responsibility', 'hardship'));
  if (yes('needsExplanation') || finding === 'unreasonable') {
    measure('explanation', departments[0] ?? null, SOLVE_DAYS, '做好政策解释和思想疏导教育', finding === 'unreasonable' ? FINDING_LABELS[finding] : countText(answersOf(sheets, 'responsibility', 'needsExplanation'), 'responsibility', 'needsExplanation'));
  }
  if (yes('needsPsychological')) measure('psychological', null, SOLVE_DAYS, '安排心理咨询师进行心理疏导干预', countText(answersOf(sheets, 'responsibility', 'needsPsychological'), 'responsibility', 'needsPsychological'));
  const conduct = answersOf(sheets, 'responsibility', 'petitionerConduct');
  const conductFinding = plurality(conduct, ['lawful', 'excessive', 'unlawful']);
  if (conductFinding === 'unlawful') measure('legal', null, null, '对违法行为依法处理', countText(conduct, 'responsibility', 'petitionerConduct'));

  const inPlace = plurality(answersOf(sheets, 'law', 'resultInPlace'), ['yes', 'partly', 'no']);
  if (finding !== 'unreasonable' && inPlace === 'no') {
    items.push({ key: 'routing', kind: 'routing', routing: 'supervision', basis: '诉求合理或部分合理，但处理结果不到位' });
  } else if (finding === 'unreasonable' && (conductFinding === 'excessive' || conductFinding === 'unlawful')) {
    items.push({ key: 'routing', kind: 'routing', routing: 'enforcement', basis: '诉求无理，且信访人有过激或违法行为' });
  }
  return items;
}

/** The sentence a resolution item stands for, as printed and voted on. */
export function itemText(item: ResolutionItem): string {
  switch (item.kind) {
    case 'finding':
      return `经评价，认定${FINDING_LABELS[item.finding]}。`;
    case 'department':
      return item.atFault ? `${item.departmentName}未完全依法履职，予以纠偏定责。` : `${item.departmentName}依法依规履职，无责免责。`;
    case 'measure':
      return `${MEASURE_LABELS[item.measure]}：${item.text}${item.days && !item.text.includes('日内') ? `（${item.days}日内）` : ''}。`;
    case 'routing':
      return `${ROUTING_LABELS[item.routing]}。`;
  }
}

/**
 * Checks items the chair edited (or a correction) against the shapes above; returns the
 * clean items or the problems by item. Departments must be the case's own.
 */
export function checkItems(raw: Record<string, unknown>[], departments: { id: number; name: string }[]): { items: ResolutionItem[]; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const items: ResolutionItem[] = [];
  const departmentName = (id: unknown) => departments.find((d) => d.id === Number(id))?.name;
  const seen = new Set<string>();
  raw.forEach((r, i) => {
    const at = `items.${i}`;
    const kind = r.kind;
    const basis = typeof r.basis === 'string' ? r.basis.slice(0, 300) : '由组长拟定';
    if (kind === 'finding') {
      if (!['reasonable', 'partly_reasonable', 'unreasonable'].includes(r.finding as string)) problems[at] = '诉求认定不在可选范围内';
      else items.push({ key: 'finding', kind, finding: r.finding as Finding, basis });
    } else if (kind === 'department') {
      const name = departmentName(r.departmentId);
      if (!name) problems[at] = '不是本案的责任单位';
      else items.push({ key: `department:${Number(r.departmentId)}`, kind, departmentId: Number(r.departmentId), departmentName: name, atFault: r.atFault === true || r.atFault === 'true', basis });
    } else if (kind === 'measure') {
      const measure = r.measure as MeasureKind;
      // Digits typed on a Chinese keyboard may come full-width (１５).
      const typed = typeof r.days === 'string' ? halfWidthDigits(r.days.trim()) : r.days;
      const days = typed === null || typed === undefined || typed === '' ? null : Number(typed);
      const department = r.departmentId === null || r.departmentId === undefined || r.departmentId === '' ? null : Number(r.departmentId);
      const written = typeof r.text === 'string' ? r.text.trim() : '';
      // The sentence voted on and printed must name the deadline the task is given: a chair who
      // changes only the days field (30 → 15) gets the sentence's one "N日内" changed with it.
      const counts = [...new Set(written.match(/\d+日内/g) ?? [])];
      const text = days !== null && counts.length === 1 ? written.replace(/\d+日内/g, `${days}日内`) : written;
      if (!(measure in MEASURE_LABELS)) problems[at] = '措施类型不在可选范围内';
      else if (days !== null && !(Number.isInteger(days) && days >= 1 && days <= 365)) problems[at] = '期限应为1至365日';
      else if (!text || text.length > 300) problems[at] = '措施内容应为1至300字';
      else if (days !== null && counts.length > 1) problems[at] = `措施内容中写了多个期限（${counts.join('、')}），请只保留一个，并与期限${days}日一致`;
      // A department's task is followed to a date: without one it would never turn yellow or red.
      else if (department !== null && days === null) problems[at] = '交由责任单位办理的措施须填写期限（1至365日）';
      else if (department !== null && !departmentName(department)) problems[at] = '不是本案的责任单位';
      else items.push({ key: `measure:${measure}${department ? `:${department}` : ''}`, kind, measure, departmentId: department, departmentName: department ? departmentName(department)! : null, days, text, basis });
    } else if (kind === 'routing') {
      if (!['supervision', 'enforcement', 'leading_group'].includes(r.routing as string)) problems[at] = '移交方向不在可选范围内';
      else items.push({ key: 'routing', kind, routing: r.routing as Routing, basis });
    } else problems[at] = '未知的决议项';
  });
  for (const item of items) {
    if (seen.has(item.key)) problems[`items.${item.key}`] = '决议项重复';
    seen.add(item.key);
  }
  if (!items.some((i) => i.kind === 'finding')) problems.items = '决议必须包含对信访诉求的认定';
  // A measure whose stated basis is the finding follows the finding the chair settled on.
  const finding = items.find((i) => i.kind === 'finding');
  const findingLabels = Object.values(FINDING_LABELS) as string[];
  if (finding?.kind === 'finding') {
    for (const item of items) if (item.kind === 'measure' && findingLabels.includes(item.basis)) item.basis = FINDING_LABELS[finding.finding];
  }
  return { items, problems };
}
