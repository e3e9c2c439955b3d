import { createHash } from 'node:crypto';
import { canonicalJson, DrawRules } from './draw-rules';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export function rulesDigest(rules: DrawRules): string {
  return sha256(canonicalJson(rules)).toString('hex');
}

/** Dice rolls or a lottery number as typed: Unicode NFC, trimmed, inner whitespace as one space. */
export function normalizeWitness(input: string): string {
  return input.normalize('NFC').trim().replace(/\s+/g, ' ');
}

/**
 * Published before the witness speaks (docs/draw-algorithm.md §3):
 * SHA-256("tianping-commit-v1\n" ‖ secret ‖ "\n" ‖ eligibleDigest ‖ "\n" ‖ rulesDigest), hex.
 * It binds the office to the eligible list and rules without revealing the secret.
 */
export function commitmentOf(secretHex: string, eligibleDigest: string, rulesDigestHex: string): string {
  return sha256(`tianping-commit-v1\n${secretHex}\n${eligibleDigest}\n${rulesDigestHex}`).toString('hex');
}

/**
 * SHA-256("tianping-seed-v1\n" ‖ secret ‖ "\n" ‖ witness ‖ "\n" ‖ caseNumber ‖ "\n" ‖ eligibleDigest).
 * Neither the office (which cannot know the witness input in advance) nor the witness
 * (who cannot know the secret) can steer it.
 */
export function seedOf(secretHex: string, witness: string, caseNumber: string, eligibleDigest: string): Buffer {
  return sha256(`tianping-seed-v1\n${secretHex}\n${normalizeWitness(witness)}\n${caseNumber}\n${eligibleDigest}`);
}
