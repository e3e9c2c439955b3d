import { DEFAULT_RULES } from './draw-rules';
import { exclusionSummary, PoolMember, ScreeningCase, ScreeningFacts, screenPool } from './screen';

const kase: ScreeningCase = { departmentIds: [3], petitionerIdNumber: '41140219700101001X', petitionerDistrict: '梁园区', petitionerTownship: '平原街道' };
const facts = (over: Partial<ScreeningFacts> = {}): ScreeningFacts => ({
  conflicts: [],
  servedSamePetitioner: new Set(),
  officeExclusions: new Map(),
  departmentNames: new Map([[3, '市住建局'], [4, '市民政局']]),
  year: 2026,
  ...over,
});
const member = (id: number, over: Partial<PoolMember> = {}): PoolMember => ({
  id, category: 'lawyer', status: 'active', employerDepartmentId: null, sameTownship: false, expertiseMatch: false, servedTotal: 0, servedThisYear: 0, ...over,
});

describe('screenPool', () => {
  it('keeps a member with no ties, marking an expertise match', () => {
    const result = screenPool([member(1, { expertiseMatch: true })], kase, DEFAULT_RULES, facts());
    expect(result.eligible).toEqual([{ id: 1, category: 'lawyer', expertiseMatch: true, served: 0 }]);
    expect(result.excluded).toEqual([]);
  });

  it('gives every reason that applies, with the department named', () => {
    const result = screenPool(
      [member(2, { status: 'suspended', employerDepartmentId: 3, sameTownship: true, servedThisYear: 6 })],
      kase, DEFAULT_RULES,
      facts({ servedSamePetitioner: new Set([2]), officeExclusions: new Map([[2, '与信访人系同学']]) }),
    );
    expect(result.excluded[0].reasons).toEqual([
      { code: 'suspended' },
      { code: 'employed_by_department', detail: '市住建局' },
      { code: 'same_township', detail: '梁园区平原街道' },
      { code: 'served_same_petitioner' },
      { code: 'yearly_cap', detail: '6次' },
      { code: 'office_excluded', detail: '与信访人系同学' },
    ]);
  });

  it('avoids former employees for 3 years, then no longer', () => {
    const conflicts = (untilYear: number) => [{ evaluatorId: 1, kind: 'employer' as const, departmentId: 3, untilYear, personIdNumber: null }];
    expect(screenPool([member(1)], kase, DEFAULT_RULES, facts({ conflicts: conflicts(2023) })).excluded[0].reasons).toEqual([{ code: 'formerly_employed_by_department', detail: '市住建局' }]);
    expect(screenPool([member(1)], kase, DEFAULT_RULES, facts({ conflicts: conflicts(2022) })).eligible).toHaveLength(1);
  });

  it('avoids declared ties with a responsible department or with the petitioner, not with other departments', () => {
    const result = screenPool([member(1), member(2), member(3)], kase, DEFAULT_RULES, facts({
      conflicts: [
        { evaluatorId: 1, kind: 'relative', departmentId: 3, untilYear: null, personIdNumber: null },
        { evaluatorId: 2, kind: 'other', departmentId: null, untilYear: null, personIdNumber: kase.petitionerIdNumber },
        { evaluatorId: 3, kind: 'relative', departmentId: 4, untilYear: null, personIdNumber: null },
      ],
    }));
    expect(result.excluded.map((e) => e.reasons[0].code)).toEqual(['conflict_with_department', 'conflict_with_petitioner']);
    expect(result.eligible.map((e) => e.id)).toEqual([3]);
  });

  it('makes the township rule switchable', () => {
    const sameStreet = member(1, { sameTownship: true });
    expect(screenPool([sameStreet], kase, { ...DEFAULT_RULES, avoidSameTownship: false }, facts()).eligible).toHaveLength(1);
  });

  it('summarises a category’s exclusions for the infeasibility message', () => {
    const result = screenPool([member(1, { employerDepartmentId: 3 }), member(2, { employerDepartmentId: 3 }), member(3, { status: 'retired' })], kase, DEFAULT_RULES, facts());
    expect(exclusionSummary(result.excluded, 'lawyer')).toBe('2名因任职于责任单位（市住建局）被排除，1名因已退出被排除');
  });
});
