import { ChainedEntry, ChainVerifier, entryHash, GENESIS } from './audit-chain';

function chain(n: number): ChainedEntry[] {
  const entries: ChainedEntry[] = [];
  let prev = GENESIS;
  for (let id = 1; id <= n; id++) {
    const content = { at: 1_700_000_000_000 + id, atText: 't', actorId: id % 3 || null, actorName: `人${id}`, actorRole: 'staff', action: 'x.done', entityType: 'case', entityId: String(id), summary: `第${id}条`, before: null, after: '{"a":1}', ip: '127.0.0.1', requestId: `r${id}` };
    const hash = entryHash(prev, content);
    entries.push({ id, ...content, prevHash: prev, hash });
    prev = hash;
  }
  return entries;
}

const verify = (entries: ChainedEntry[]) => {
  const v = new ChainVerifier();
  v.feed(entries);
  return v.verdict();
};

describe('audit hash chain', () => {
  it('verifies an intact chain and reports its head', () => {
    const entries = chain(5);
    expect(verify(entries)).toEqual({ ok: true, entries: 5, head: { id: 5, hash: entries[4].hash } });
    expect(verify([])).toEqual({ ok: true, entries: 0, head: null });
  });

  it('names the first edited entry', () => {
    const entries = chain(6);
    entries[2] = { ...entries[2], summary: '改过的' };
    expect(verify(entries)).toMatchObject({ ok: false, firstBadId: 3, reason: expect.stringContaining('内容被改动') });
  });

  it('catches a deleted entry at the one after it', () => {
    const entries = chain(6);
    entries.splice(3, 1);
    expect(verify(entries)).toMatchObject({ ok: false, firstBadId: 5 });
  });

  it('catches reordering, by content swap or by id', () => {
    const swapped = chain(6);
    const [a, b] = [swapped[1], swapped[2]];
    swapped[1] = { ...b, id: 2 };
    swapped[2] = { ...a, id: 3 };
    expect(verify(swapped)).toMatchObject({ ok: false, firstBadId: 2 });
    const byId = chain(4);
    expect(verify([byId[0], byId[2], byId[1], byId[3]])).toMatchObject({ ok: false, firstBadId: 3 });
  });

  it('leaves truncation to the published heads: a cut-off chain verifies alone, not against its head', () => {
    const entries = chain(8);
    const published = [{ day: '2026-11-21', entryId: 8, hash: entries[7].hash }];
    const truncated = entries.slice(0, 6);
    expect(verify(truncated).ok).toBe(true);
    const cut = new ChainVerifier(undefined, published);
    cut.feed(truncated);
    expect(cut.verdict()).toMatchObject({ ok: false, firstBadId: 8, reason: expect.stringContaining('截断') });
    const whole = new ChainVerifier(undefined, published);
    whole.feed(entries);
    expect(whole.verdict().ok).toBe(true);
  });

  it('hashes text as SQLite stores it: a lone surrogate and its replacement character agree', () => {
    const [e] = chain(1);
    expect(entryHash(GENESIS, { ...e, summary: 'ab\ud800' })).toBe(entryHash(GENESIS, { ...e, summary: 'ab\ufffd' }));
    expect(entryHash(GENESIS, { ...e, summary: '𠀀' })).not.toBe(entryHash(GENESIS, { ...e, summary: '\ufffd' }));
  });

  it('continues from an archive point', () => {
    const entries = chain(6);
    const v = new ChainVerifier({ id: 3, hash: entries[2].hash });
    v.feed(entries.slice(3));
    expect(v.verdict()).toMatchObject({ ok: true, entries: 3, head: { id: 6 } });
  });
});
