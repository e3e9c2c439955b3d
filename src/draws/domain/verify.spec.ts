import { randomBytes } from 'node:crypto';
import { CATEGORIES } from '../../pool/domain/categories';
import { commitmentOf, normalizeWitness, rulesDigest, seedOf, WITNESS_PATTERN } from './commitment';
import { drawPanel } from './draw-panel';
import { DEFAULT_RULES } from './draw-rules';
import { eligibleDigest, eligibleListOf } from './eligible-list';
import { Sha256Stream } from './random-stream';
import { DrawEvidence, verifyDraw } from './verify';

function evidence(): DrawEvidence {
  const eligible = eligibleListOf(CATEGORIES.flatMap((category, c) => Array.from({ length: 4 }, (_, i) => ({ id: c * 10 + i + 1, category, expertiseMatch: i === 0, served: i }))));
  const secret = randomBytes(32).toString('hex');
  const listDigest = eligibleDigest(eligible);
  const rulesHex = rulesDigest(DEFAULT_RULES);
  const seed = seedOf(secret, '3 5 6 1 2 4', 'SQ-2026-001', listDigest);
  const panel = drawPanel(eligible, DEFAULT_RULES, new Sha256Stream(seed));
  return {
    caseNumber: 'SQ-2026-001', rules: DEFAULT_RULES, eligible, eligibleDigest: listDigest, rulesDigest: rulesHex,
    commitment: commitmentOf(secret, listDigest, rulesHex), secret, witness: '3 5 6 1 2 4', seed: seed.toString('hex'),
    members: panel.members, alternates: panel.alternates,
  };
}

describe('verifyDraw', () => {
  it('says "matches" for an untouched record', () => {
    expect(verifyDraw(evidence())).toMatchObject({ matches: true, differences: [] });
  });

  it('treats whitespace in the witness input the same, but not a different roll', () => {
    expect(verifyDraw({ ...evidence(), witness: '  3 5 6  1 2 4 ' }).matches).toBe(true);
  });

  it('catches a change to any input and says what differs', () => {
    const e = evidence();
    const cases: [string, DrawEvidence, RegExp][] = [
      ['witness', { ...e, witness: '3 5 6 1 2 5' }, /随机种子不符/],
      ['case number', { ...e, caseNumber: 'SQ-2026-002' }, /随机种子不符/],
      ['secret', { ...e, secret: randomBytes(32).toString('hex') }, /承诺值不符/],
      ['rules', { ...e, rules: { ...e.rules, panelSize: 7 } }, /抽选规则摘要不符/],
      ['eligible list', { ...e, eligible: eligibleListOf([{ id: 999, category: 'lawyer', expertiseMatch: false, served: 0 }]) }, /候选名单摘要不符/],
      ['panel', { ...e, members: [...e.members.slice(0, -1), { evaluatorId: 12345, position: 5 }] }, /评价组成员不符/],
      ['alternates order', { ...e, alternates: e.alternates.map((a, i, all) => ({ ...a, evaluatorId: all[all.length - 1 - i].evaluatorId })) }, /候补名单不符/],
    ];
    for (const [what, changed, message] of cases) {
      const result = verifyDraw(changed);
      expect({ what, matches: result.matches }).toEqual({ what, matches: false });
      expect(result.differences.join('\n')).toMatch(message);
    }
  });
});

describe('normalizeWitness', () => {
  it('trims and collapses only TAB, LF, CR, SPACE and U+3000', () => {
    expect(normalizeWitness('\u3000 3\t6\r\n1  4 ')).toBe('3 6 1 4');
    expect(normalizeWitness('1\u00a02')).toBe('1\u00a02');
    expect(WITNESS_PATTERN.test('双色球2026135期 03 07 12+05')).toBe(true);
    expect(WITNESS_PATTERN.test('1\u00852')).toBe(false);
  });
});
