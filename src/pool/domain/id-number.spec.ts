import { checkIdNumber, idCheckChar } from './id-number';

describe('checkIdNumber', () => {
  it('accepts the standard example with its check digit', () => {
    // GB 11643 worked example: 11010519491231002X
    const result = checkIdNumber('11010519491231002X');
    expect(result).toEqual({ ok: true, normalized: '11010519491231002X', birthYear: 1949, birthDate: '19491231', gender: 'female' });
  });
  it('accepts a lower-case x and normalises it', () => {
    expect(checkIdNumber('11010519491231002x')).toMatchObject({ ok: true, normalized: '11010519491231002X' });
  });
  it('rejects a wrong check digit', () => {
    expect(checkIdNumber('110105194912310021')).toEqual({ ok: false, reason: 'check_digit' });
  });
  it('rejects an impossible birth date even with a matching check digit', () => {
    const first17 = '41140319900230001';
    expect(checkIdNumber(first17 + idCheckChar(first17))).toEqual({ ok: false, reason: 'birth_date' });
  });
  it('rejects wrong lengths and letters', () => {
    expect(checkIdNumber('4114031990010100')).toEqual({ ok: false, reason: 'format' });
    expect(checkIdNumber('41140319900101A01X')).toEqual({ ok: false, reason: 'format' });
  });
  it('reads the gender from the 17th digit', () => {
    const male = '41140319800101001';
    expect(checkIdNumber(male + idCheckChar(male))).toMatchObject({ ok: true, gender: 'male', birthYear: 1980 });
  });
  it('detects every single-digit typo in a valid number', () => {
    const valid = '11010519491231002X';
    for (let i = 0; i < 17; i++) {
      const digit = Number(valid[i]);
      const typo = valid.slice(0, i) + String((digit + 1) % 10) + valid.slice(i + 1);
      expect(checkIdNumber(typo).ok).toBe(false);
    }
  });
});
