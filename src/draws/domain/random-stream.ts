import { createHash } from 'node:crypto';

/** The random source the draw rules take: integers drawn without bias from a stream. */
export interface RandomSource {
  /** A uniform integer in [0, n), n ≤ 2^53. */
  below(n: number): number;
}

const TWO_POW_32 = 0x1_0000_0000;
const TWO_POW_53 = 2 ** 53;

/**
 * A deterministic stream from a 32-byte seed (docs/draw-algorithm.md §3):
 * block i = SHA-256(seed ‖ uint32be(i)), i = 0, 1, 2 …; each block gives eight big-endian
 * uint32 words, used in order. An integer below n takes 53 bits from two words
 * (21 high bits of the first, all 32 of the second) and rejects values at or above the
 * largest multiple of n under 2^53, so every result is equally likely.
 */
export class Sha256Stream implements RandomSource {
  private block = Buffer.alloc(0);
  private offset = 32;
  private counter = 0;
  /** Words consumed so far, recorded with the draw for auditors. */
  wordsUsed = 0;

  constructor(private readonly seed: Buffer) {
    if (seed.length !== 32) throw new Error('seed must be 32 bytes');
  }

  nextUint32(): number {
    if (this.offset >= 32) {
      const index = Buffer.alloc(4);
      index.writeUInt32BE(this.counter++);
      this.block = createHash('sha256').update(this.seed).update(index).digest();
      this.offset = 0;
    }
    const word = this.block.readUInt32BE(this.offset);
    this.offset += 4;
    this.wordsUsed++;
    return word;
  }

  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_53) throw new RangeError(`below(${n})`);
    const limit = Math.floor(TWO_POW_53 / n) * n;
    for (;;) {
      const high = this.nextUint32() >>> 11; // 21 bits
      const low = this.nextUint32();
      const value = high * TWO_POW_32 + low; // 53 bits
      if (value < limit) return value % n;
    }
  }
}
