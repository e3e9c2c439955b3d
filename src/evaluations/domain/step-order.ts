import { STEP_KEYS, StepKey } from './criteria';

export type StepStatus = 'pending' | 'open' | 'closed';

/** The step that may open next: the first not closed, provided every step before it is closed. */
export function nextOpenable(statuses: Record<StepKey, StepStatus>): StepKey | null {
  for (const key of STEP_KEYS) {
    if (statuses[key] === 'closed') continue;
    return statuses[key] === 'pending' ? key : null;
  }
  return null;
}

/** A step accepts sheets only while open; steps open strictly in order. */
export function mayOpen(statuses: Record<StepKey, StepStatus>, step: StepKey): boolean {
  return nextOpenable(statuses) === step;
}

/** Who has not submitted: the chair may close a step only by recording them as absent. */
export function missingSubmissions(members: number[], submitted: number[], absent: number[]): number[] {
  return members.filter((m) => !submitted.includes(m) && !absent.includes(m));
}

/** A step may close only on the sheets of more than half of the panel. */
export function hasQuorum(members: number, submitted: number): boolean {
  return submitted * 2 > members;
}
