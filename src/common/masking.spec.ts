import { maskIdentifier } from './masking';

describe('maskIdentifier', () => {
  it('keeps the first 3 and last 4 characters of an ID number', () => {
    expect(maskIdentifier('41010219900101123X')).toBe('410***********123X');
  });
  it('keeps the first 3 and last 4 digits of a mobile number', () => {
    expect(maskIdentifier('13812345678')).toBe('138****5678');
  });
  it('never reveals a short value whole', () => {
    expect(maskIdentifier('1234567')).toBe('******7');
    expect(maskIdentifier('12')).toBe('*2');
  });
  it('maps empty values to an empty string', () => {
    expect(maskIdentifier('')).toBe('');
    expect(maskIdentifier(null)).toBe('');
  });
});
