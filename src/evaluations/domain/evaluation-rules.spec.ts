import { sheetProblems } from './criteria';
import { checkItems, draftResolution, itemText } from './draft';
import { passes, plurality, tally } from './majority';
import { hasQuorum, mayOpen, missingSubmissions, nextOpenable } from './step-order';

describe('step order', () => {
  it('opens the steps strictly one after another', () => {
    expect(nextOpenable({ facts: 'pending', procedure: 'pending', law: 'pending', responsibility: 'pending' })).toBe('facts');
    expect(nextOpenable({ facts: 'open', procedure: 'pending', law: 'pending', responsibility: 'pending' })).toBeNull();
    expect(nextOpenable({ facts: 'closed', procedure: 'pending', law: 'pending', responsibility: 'pending' })).toBe('procedure');
    expect(mayOpen({ facts: 'closed', procedure: 'pending', law: 'pending', responsibility: 'pending' }, 'law')).toBe(false);
    expect(nextOpenable({ facts: 'closed', procedure: 'closed', law: 'closed', responsibility: 'closed' })).toBeNull();
  });
  it('lists members who neither submitted nor were recorded absent', () => {
    expect(missingSubmissions([1, 2, 3, 4, 5], [1, 2, 3], [4])).toEqual([5]);
  });
});

describe('majority rules', () => {
  it('needs more than half of the full panel, abstentions counting against', () => {
    expect(passes(3, 5, 'majority')).toBe(true);
    expect(passes(2, 5, 'majority')).toBe(false);
    expect(passes(2, 4, 'majority')).toBe(false);
  });
  it('can require two-thirds', () => {
    expect(passes(4, 5, 'two_thirds')).toBe(true);
    expect(passes(3, 5, 'two_thirds')).toBe(false);
    expect(passes(2, 3, 'two_thirds')).toBe(true);
  });
  it('counts votes', () => {
    expect(tally(['agree', 'agree', 'abstain', 'disagree', 'agree'])).toEqual({ agree: 3, disagree: 1, abstain: 1 });
  });
  it('takes the most chosen option, ties to the one listed first', () => {
    expect(plurality(['no', 'yes', 'no'], ['yes', 'partly', 'no'])).toBe('no');
    expect(plurality(['no', 'yes'], ['yes', 'partly', 'no'])).toBe('yes');
    expect(plurality([undefined], ['yes'])).toBeNull();
  });
});

describe('score sheets', () => {
  const complete = { factsClear: 'yes', evidenceSufficient: 'partly', keyFacts: '征收面积认定有误', values: { forPeople: 4, lawful: 5, fair: 4, efficient: 3 }, opinion: '事实基本清楚' };
  it('accepts a complete sheet and an incomplete draft', () => {
    expect(sheetProblems('facts', complete, [3], true)).toEqual({});
    expect(sheetProblems('facts', { factsClear: 'yes' }, [3], false)).toEqual({});
  });
  it('names every missing answer on submission', () => {
    expect(Object.keys(sheetProblems('facts', { factsClear: 'yes' }, [3], true))).toEqual(['evidenceSufficient', 'keyFacts', 'values.forPeople', 'values.lawful', 'values.fair', 'values.efficient', 'opinion']);
  });
  it('refuses unknown fields, options and departments', () => {
    expect(sheetProblems('facts', { ...complete, factsClear: 'maybe', extra: 1 }, [3], false)).toEqual({ extra: '不允许的字段', factsClear: '案件事实是否清楚：不在可选范围内' });
    expect(sheetProblems('responsibility', { departmentDuty: { 9: 'yes' } }, [3], false)).toEqual({ 'departmentDuty.9': '不是本案的责任单位' });
    expect(sheetProblems('facts', { values: { forPeople: 6 } }, [3], false)).toEqual({ 'values.forPeople': '“为民”评分应为1至5分' });
  });
});

describe('draftResolution', () => {
  const departments = [{ id: 3, name: '市住建局' }, { id: 7, name: '梁园区人民政府' }];
  const responsibility = (duty3: string, hardship: string, conduct = 'lawful') => ({ departmentDuty: { 3: duty3, 7: 'yes' }, petitionerConduct: conduct, hardship, needsExplanation: 'no', needsPsychological: 'no' });

  it('finds a partly reasonable demand, a department at fault, and a deadline to solve it', () => {
    const items = draftResolution({
      law: [{ legalBasis: 'partly', resultInPlace: 'no' }, { legalBasis: 'partly', resultInPlace: 'no' }, { legalBasis: 'yes', resultInPlace: 'partly' }],
      responsibility: [responsibility('no', 'yes'), responsibility('partly', 'yes'), responsibility('yes', 'no')],
    }, departments);
    expect(items.map((i) => i.key)).toEqual(['finding', 'department:3', 'department:7', 'measure:solve:3', 'measure:relief:3', 'routing']);
    expect(itemText(items[0])).toBe('经评价，认定诉求部分合理。');
    expect(itemText(items[1])).toBe('市住建局未完全依法履职，予以纠偏定责。');
    expect(itemText(items[2])).toBe('梁园区人民政府依法依规履职，无责免责。');
    expect(itemText(items[3])).toBe('限期解决落实到位：市住建局在30日内依法依规解决到位。');
    expect(items[5]).toMatchObject({ routing: 'supervision' });
  });

  it('clears lawful departments and sends an unreasonable, unlawful petition to enforcement', () => {
    const items = draftResolution({
      law: [{ legalBasis: 'no', resultInPlace: 'yes' }, { legalBasis: 'no', resultInPlace: 'yes' }],
      responsibility: [responsibility('yes', 'no', 'unlawful'), responsibility('yes', 'no', 'unlawful')],
    }, departments);
    expect(items.map((i) => i.key)).toEqual(['finding', 'department:3', 'department:7', 'measure:explanation:3', 'measure:legal', 'routing']);
    expect(items[1]).toMatchObject({ atFault: false });
    expect(items[5]).toMatchObject({ routing: 'enforcement' });
  });
});

describe('checkItems (the chair’s edits)', () => {
  const departments = [{ id: 3, name: '市自然资源和规划局' }];
  const finding = { kind: 'finding', finding: 'reasonable' };
  const solve = (days: unknown, text: string) => checkItems([finding, { kind: 'measure', measure: 'solve', departmentId: 3, days, text }], departments);

  it('changes the sentence’s deadline with the days field, so what is voted on is what the task gets', () => {
    const { items, problems } = solve('15', '市自然资源和规划局在30日内依法依规解决到位');
    expect(problems).toEqual({});
    expect(itemText(items[1])).toBe('限期解决落实到位：市自然资源和规划局在15日内依法依规解决到位。');
  });

  it('refuses a sentence naming two different deadlines', () => {
    expect(solve(15, '15日内核查，30日内书面答复').problems).toEqual({ 'items.1': '措施内容中写了多个期限（15日内、30日内），请只保留一个，并与期限15日一致' });
  });

  it('keeps a measure based on the finding in step with the finding the chair settled on', () => {
    const { items } = checkItems([{ kind: 'finding', finding: 'partly_reasonable' }, { kind: 'measure', measure: 'solve', departmentId: 3, days: 30, text: '依法解决', basis: '诉求合理' }], departments);
    expect(items[1].basis).toBe('诉求部分合理');
  });

  it('adds the days to a sentence that names none', () => {
    expect(itemText(solve(20, '依法依规解决到位').items[1])).toBe('限期解决落实到位：依法依规解决到位（20日内）。');
  });
});

describe('hasQuorum', () => {
  it('needs more than half of the panel', () => {
    expect([1, 2, 3, 4, 5].map((n) => hasQuorum(5, n))).toEqual([false, false, true, true, true]);
    expect([2, 3, 4].map((n) => hasQuorum(7, n + 1))).toEqual([false, true, true]);
  });
});
