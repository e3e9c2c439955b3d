import { documentDate, documentNumber, documentYear, groupedCode, normalizeVerificationCode, optionCounts, verificationCode } from './official-document';

describe('official document conventions', () => {
  it('numbers documents after GB/T 9704: prefix, kind, year in 〔〕, serial without padding', () => {
    expect(documentNumber('商信联', 'decision', 2026, 12)).toBe('商信联评〔2026〕12号');
    expect(documentNumber('商信联', 'assignment', 2026, 1)).toBe('商信联交〔2026〕1号');
    expect(() => documentNumber('商信联', 'notice', 2026, 0)).toThrow(RangeError);
  });

  it('dates in Arabic numerals in the office time zone, which decides the year near midnight', () => {
    const newYearsEveUtc = Date.UTC(2026, 11, 31, 17, 30);
    expect(documentDate(newYearsEveUtc, 'Asia/Shanghai')).toBe('2027年1月1日');
    expect(documentYear(newYearsEveUtc, 'Asia/Shanghai')).toBe(2027);
    expect(documentDate(newYearsEveUtc, 'UTC')).toBe('2026年12月31日');
  });

  it('makes 16-digit codes that survive being typed back with spaces or dashes', () => {
    const code = verificationCode(Uint8Array.from([255, 255, 255, 255, 255, 255, 255, 255]));
    expect(code).toMatch(/^\d{16}$/);
    expect(verificationCode(new Uint8Array(8))).toBe('0000000000000000');
    expect(groupedCode('3829104755210093')).toBe('3829 1047 5521 0093');
    expect(normalizeVerificationCode(' 3829-1047 5521 0093 ')).toBe('3829104755210093');
    expect(normalizeVerificationCode('３８２９　１０４７ ５５２１ ００９３')).toBe('3829104755210093'); // full-width, as a Chinese keyboard types
    expect(normalizeVerificationCode('3829104755210O93')).toBeNull();
    expect(normalizeVerificationCode('38291047')).toBeNull();
  });

  it('counts the options of a question and names the leader only when there is one', () => {
    const options = [{ value: 'yes', label: '清楚' }, { value: 'partly', label: '基本清楚' }, { value: 'no', label: '不清楚' }];
    expect(optionCounts(['yes', 'yes', 'partly', undefined], options)).toEqual({ counts: [{ label: '清楚', count: 2 }, { label: '基本清楚', count: 1 }, { label: '不清楚', count: 0 }], leading: '清楚' });
    expect(optionCounts(['yes', 'partly'], options).leading).toBeNull();
    expect(optionCounts([], options).leading).toBeNull();
  });
});
