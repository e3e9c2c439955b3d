import { createHash } from 'node:crypto';
import { eligibleDigest, eligibleListOf, entriesOf, packEligible, serializeEligible, unpackEligible } from './eligible-list';

describe('eligible list', () => {
  const list = eligibleListOf([
    { id: 12, category: 'lawyer', expertiseMatch: true, served: 3 },
    { id: 5, category: 'senior_petitioner', expertiseMatch: false, served: 0 },
  ]);

  it('digests one "id,category,match,served\\n" line per member in id order', () => {
    expect(serializeEligible(list)).toBe('5,senior_petitioner,0,0\n12,lawyer,1,3');
    expect(eligibleDigest(list)).toBe(createHash('sha256').update('5,senior_petitioner,0,0\n12,lawyer,1,3\n').digest('hex'));
    expect(eligibleDigest(eligibleListOf([]))).toBe(createHash('sha256').update('').digest('hex'));
  });

  it('packs to 10 bytes a member and unpacks to the same list', () => {
    const packed = packEligible(list);
    expect(packed.length).toBe(20);
    expect(entriesOf(unpackEligible(packed))).toEqual(entriesOf(list));
  });
});
