import { assessEligibility } from './eligibility';

describe('assessEligibility', () => {
  it('takes a case whose petitioner is dissatisfied', () => {
    expect(assessEligibility('dissatisfied', [])).toMatchObject({ eligible: true, grounds: ['信访人对处理结果不满意'] });
  });
  it('takes a case with 3 petitions to the province or Beijing, even if the petitioner is satisfied', () => {
    const history = [{ level: 'province' as const }, { level: 'beijing' as const }, { level: 'province' as const }, { level: 'city' as const }];
    expect(assessEligibility('basically_satisfied', history)).toMatchObject({ eligible: true, highLevelPetitions: 3 });
  });
  it('does not take a satisfied petitioner with 2 high-level petitions, and says why', () => {
    const result = assessEligibility('satisfied', [{ level: 'beijing' }, { level: 'beijing' }, { level: 'county' }]);
    expect(result.eligible).toBe(false);
    expect(result.grounds).toEqual(['信访人对处理结果满意，赴省进京信访2次（不足3次）']);
  });
});
