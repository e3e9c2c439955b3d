import { DrawnPanel } from './domain/draw-panel';
import { DrawRules } from './domain/draw-rules';
import { unpackEligible } from './domain/eligible-list';
import { DrawEvidence } from './domain/verify';
import { Draw } from './draw.entity';

/** A finished draw's record as the verifier's input; used by the service and the CLI alike. */
export function evidenceOf(draw: Draw, caseNumber: string): DrawEvidence {
  const result = JSON.parse(draw.resultJson!) as Pick<DrawnPanel, 'members' | 'alternates'>;
  return {
    caseNumber,
    rules: JSON.parse(draw.rulesJson) as DrawRules,
    eligible: unpackEligible(draw.eligibleList),
    eligibleDigest: draw.eligibleDigest,
    rulesDigest: draw.rulesDigest,
    commitment: draw.commitment,
    secret: draw.secret,
    witness: draw.witnessInput!,
    seed: draw.seed!,
    members: result.members.map((s) => ({ evaluatorId: s.evaluatorId, position: s.position })),
    alternates: result.alternates.map((s) => ({ evaluatorId: s.evaluatorId, position: s.position })),
  };
}
