import { createHash } from 'node:crypto';
import { Sha256Stream } from './random-stream';

const seed = createHash('sha256').update('test').digest();

describe('Sha256Stream', () => {
  it('reads words from SHA-256(seed ‖ uint32be(i)) in order', () => {
    const stream = new Sha256Stream(seed);
    const block0 = createHash('sha256').update(seed).update(Buffer.from([0, 0, 0, 0])).digest();
    const block1 = createHash('sha256').update(seed).update(Buffer.from([0, 0, 0, 1])).digest();
    const words = Array.from({ length: 9 }, () => stream.nextUint32());
    expect(words.slice(0, 8)).toEqual(Array.from({ length: 8 }, (_, i) => block0.readUInt32BE(i * 4)));
    expect(words[8]).toBe(block1.readUInt32BE(0));
  });

  it('is the same stream for the same seed and another for another seed', () => {
    const a = new Sha256Stream(seed);
    const b = new Sha256Stream(seed);
    const c = new Sha256Stream(createHash('sha256').update('other').digest());
    const draw = (s: Sha256Stream) => Array.from({ length: 20 }, () => s.below(1000));
    const first = draw(a);
    expect(draw(b)).toEqual(first);
    expect(draw(c)).not.toEqual(first);
  });

  it('builds below(n) from 53 bits: 21 high bits of one word and the next word', () => {
    const stream = new Sha256Stream(seed);
    const block0 = createHash('sha256').update(seed).update(Buffer.from([0, 0, 0, 0])).digest();
    const expected = ((block0.readUInt32BE(0) >>> 11) * 2 ** 32 + block0.readUInt32BE(4)) % 7;
    expect(stream.below(7)).toBe(expected);
  });

  it('stays within range for awkward sizes', () => {
    const stream = new Sha256Stream(seed);
    for (const n of [1, 2, 3, 1_000_003, 2 ** 53]) {
      for (let i = 0; i < 50; i++) {
        const v = stream.below(n);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(n);
      }
    }
  });
});
