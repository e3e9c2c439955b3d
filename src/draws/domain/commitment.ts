import { createHash } from 'node:crypto';
import { canonicalJson, DrawRules } from './draw-rules';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export function rulesDigest(rules: DrawRules): string {
  return sha256(canonicalJson(rules)).toString('hex');
}

/** The characters a witness input may contain (docs/draw-algorithm.md §3). */
export const WITNESS_PATTERN = /^[0-9A-Za-z\u4e00-\u9fff ,.:/+#\-\t\r\n\u3000]+$/;

/**
 * Dice rolls or a lottery number as typed: Unicode NFC; the whitespace characters TAB, LF,
 * CR, SPACE and U+3000 (ideographic space) — and only those — trimmed from both ends, and
 * each run of them inside replaced by one SPACE.
 */
export function normalizeWitness(input: string): string {
  return input.normalize('NFC').replace(/^[\t\n\r \u3000]+|[\t\n\r \u3000]+$/g, '').replace(/[\t\n\r \u3000]+/g, ' ');
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
