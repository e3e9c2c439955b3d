import { maskIdentifier } from '../common/masking';
import { CASE_STATUS_LABELS } from './domain/case-lifecycle';
import { AGENT_LABELS, SATISFACTION_LABELS } from './domain/eligibility';
import { PetitionCase } from './petition-case.entity';

/** A case as pages and the API show it: the petitioner's ID number and phones masked. */
export function caseView(c: PetitionCase) {
  return {
    ...c,
    petitionerIdNumber: maskIdentifier(c.petitionerIdNumber),
    petitionerPhone: maskIdentifier(c.petitionerPhone),
    agentPhone: c.agentPhone ? maskIdentifier(c.agentPhone) : null,
    agentKindLabel: c.agentKind ? AGENT_LABELS[c.agentKind] : null,
    statusLabel: CASE_STATUS_LABELS[c.status],
    satisfactionLabel: SATISFACTION_LABELS[c.satisfaction],
  };
}
export type CaseView = ReturnType<typeof caseView>;
