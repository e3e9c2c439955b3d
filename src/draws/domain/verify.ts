
import { commitmentOf, rulesDigest, seedOf } from './commitment';
import { drawPanel, Seat } from './draw-panel';
import { DrawRules, rulesProblems } from './draw-rules';
import { eligibleDigest, EligibleList } from './eligible-list';
import { Sha256Stream } from './random-stream';

/** Everything a draw record keeps so that anyone can recompute it. */
export interface DrawEvidence {
  caseNumber: string;
  rules: DrawRules;
  eligible: EligibleList;
  eligibleDigest: string;
  rulesDigest: string;
  commitment: string;
  secret: string;
  witness: string;
  seed: string;
  members: Pick<Seat, 'evaluatorId' | 'position'>[];
  alternates: Pick<Seat, 'evaluatorId' | 'position'>[];
}

export interface Verification {
  matches: boolean;
  /** One line per mismatch, in Chinese, naming what differs. */
  differences: string[];
  recomputed: { eligibleDigest: string; rulesDigest: string; commitment: string; seed: string; members: number[]; alternates: number[] };
}

/** Recomputes a draw from its evidence and says "matches" or exactly what differs. */
export function verifyDraw(e: DrawEvidence): Verification {
  try {
    return recompute(e);
  } catch (error) {
    // A damaged record (bad JSON, unsorted list, impossible rules) is a finding, not a crash.
    return {
      matches: false,
      differences: [`记录已损坏，无法复算：${(error as Error).message}`],
      recomputed: { eligibleDigest: '', rulesDigest: '', commitment: '', seed: '', members: [], alternates: [] },
    };
  }
}

function recompute(e: DrawEvidence): Verification {
  const differences: string[] = [];
  const problems = rulesProblems(e.rules, e.rules.fillSeats !== undefined);
  if (Object.keys(problems).length) differences.push(`记录的抽选规则无效：${Object.values(problems).join('；')}`);
  const listDigest = eligibleDigest(e.eligible);
  const rulesHex = rulesDigest(e.rules);
  const commitment = commitmentOf(e.secret, listDigest, rulesHex);
  const seed = seedOf(e.secret, e.witness, e.caseNumber, listDigest);
  if (listDigest !== e.eligibleDigest) differences.push(`候选名单摘要不符：记录为 ${e.eligibleDigest}，重算为 ${listDigest}`);
  if (rulesHex !== e.rulesDigest) differences.push(`抽选规则摘要不符：记录为 ${e.rulesDigest}，重算为 ${rulesHex}`);
  if (commitment !== e.commitment) differences.push(`承诺值不符：记录为 ${e.commitment}，重算为 ${commitment}`);
  if (seed.toString('hex') !== e.seed) differences.push(`随机种子不符：记录为 ${e.seed}，重算为 ${seed.toString('hex')}`);
  let members: number[] = [];
  let alternates: number[] = [];
  try {
    const panel = drawPanel(e.eligible, e.rules, new Sha256Stream(seed));
    members = panel.members.map((s) => s.evaluatorId);
    alternates = panel.alternates.map((s) => s.evaluatorId);
  } catch (error) {
    differences.push(`按记录的规则无法抽出评价组：${(error as Error).message}`);
  }
  const recorded = [...e.members].sort((a, b) => a.position - b.position).map((s) => s.evaluatorId);
  const recordedAlt = [...e.alternates].sort((a, b) => a.position - b.position).map((s) => s.evaluatorId);
  if (members.join(',') !== recorded.join(',')) differences.push(`评价组成员不符：记录为 [${recorded.join(', ')}]，重算为 [${members.join(', ')}]`);
  if (alternates.join(',') !== recordedAlt.join(',')) differences.push(`候补名单不符：记录为 [${recordedAlt.join(', ')}]，重算为 [${alternates.join(', ')}]`);
  return {
    matches: differences.length === 0,
    differences,
    recomputed: { eligibleDigest: listDigest, rulesDigest: rulesHex, commitment, seed: seed.toString('hex'), members, alternates },
  };
}

