import { ROLE_LABELS } from '../auth/domain/roles';
import { CATEGORIES, CATEGORY_LABELS, EXPERTISE_AREAS } from '../pool/domain/categories';
import { EVALUATOR_STATUS_LABELS, EVALUATOR_STATUSES } from '../pool/domain/evaluator-status';

/** Option lists for selects and checkboxes, shared by the pages. */
export const CATALOG = {
  categories: CATEGORIES.map((value) => ({ value, label: CATEGORY_LABELS[value] })),
  expertiseAreas: EXPERTISE_AREAS.map((value) => ({ value, label: value })),
  statuses: EVALUATOR_STATUSES.map((value) => ({ value, label: EVALUATOR_STATUS_LABELS[value] })),
  staffRoles: (['admin', 'staff', 'liaison', 'auditor', 'security'] as const).map((value) => ({ value, label: ROLE_LABELS[value] })),
  genders: [
    { value: 'male', label: '男' },
    { value: 'female', label: '女' },
  ],
  petitionLevels: [
    { value: 'county', label: '县级' },
    { value: 'city', label: '市级' },
    { value: 'province', label: '省级' },
    { value: 'beijing', label: '进京' },
  ],
  petitionChannels: [
    { value: 'visit', label: '走访' },
    { value: 'letter', label: '来信' },
    { value: 'online', label: '网上信访' },
    { value: 'phone', label: '电话' },
  ],
  satisfactions: [
    { value: 'dissatisfied', label: '不满意' },
    { value: 'basically_satisfied', label: '基本满意' },
    { value: 'satisfied', label: '满意' },
  ],
  agentKinds: [
    { value: 'cadre', label: '干部' },
    { value: 'lawyer', label: '律师' },
    { value: 'volunteer', label: '志愿者' },
  ],
  districts: ['梁园区', '睢阳区', '永城市', '夏邑县', '虞城县', '柘城县', '宁陵县', '睢县', '民权县', '示范区'],
  conflictKinds: [
    { value: 'employer', label: '本人现在或曾经在该单位任职' },
    { value: 'relative', label: '近亲属在该单位任职' },
    { value: 'other', label: '其他可能影响公正的关系' },
  ],
};
