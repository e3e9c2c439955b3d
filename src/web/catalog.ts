import { ROLE_LABELS } from '../auth/domain/roles';
import { AGENT_LABELS, CHANNEL_LABELS, LEVEL_LABELS, SATISFACTION_LABELS } from '../cases/domain/eligibility';
import { CATEGORIES, CATEGORY_LABELS, EXPERTISE_AREAS } from '../pool/domain/categories';
import { EVALUATOR_STATUS_LABELS, EVALUATOR_STATUSES } from '../pool/domain/evaluator-status';

const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

/** Option lists for selects and checkboxes, shared by the pages; labels come from the domain. */
export const CATALOG = {
  categories: CATEGORIES.map((value) => ({ value, label: CATEGORY_LABELS[value] })),
  expertiseAreas: EXPERTISE_AREAS.map((value) => ({ value, label: value })),
  statuses: EVALUATOR_STATUSES.map((value) => ({ value, label: EVALUATOR_STATUS_LABELS[value] })),
  staffRoles: (['admin', 'staff', 'liaison', 'auditor', 'security'] as const).map((value) => ({ value, label: ROLE_LABELS[value] })),
  genders: [
    { value: 'male', label: '男' },
    { value: 'female', label: '女' },
  ],
  petitionLevels: options(LEVEL_LABELS),
  petitionChannels: options(CHANNEL_LABELS),
  // Most common first on the form.
  satisfactions: options(SATISFACTION_LABELS).reverse(),
  agentKinds: options(AGENT_LABELS),
  districts: ['梁园区', '睢阳区', '永城市', '夏邑县', '虞城县', '柘城县', '宁陵县', '睢县', '民权县', '示范区'],
  conflictKinds: [
    { value: 'employer', label: '本人现在或曾经在该单位任职' },
    { value: 'relative', label: '近亲属在该单位任职' },
    { value: 'other', label: '其他可能影响公正的关系' },
  ],
};
