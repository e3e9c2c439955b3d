import { characterClasses, passwordExpired, passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it('requires at least 12 characters, counting Chinese characters as one each', () => {
    expect(passwordProblem('short-pass1', 'li')).toBe('too_short');
    expect(passwordProblem('天平评价员密码Tp2026', 'li')).toBeNull();
  });
  it('asks for three of four classes: upper case, lower case, digits, anything else (Chinese counts as the last)', () => {
    expect(characterClasses('abcdefghijkl')).toBe(1);
    expect(characterClasses('天平评价员密码天平评价员密')).toBe(1);
    expect(passwordProblem('天平评价员密码2026天平', 'li')).toBe('too_simple');
    expect(passwordProblem('abcdefgh2026', 'li')).toBe('too_simple');
    expect(passwordProblem('Abcdefgh2026', 'li')).toBeNull();
    expect(passwordProblem('abcdefgh-2026', 'li')).toBeNull();
  });
  it('expires a password after 90 days, to the millisecond', () => {
    const day = 86_400_000;
    expect(passwordExpired(0, 90 * day - 1)).toBe(false);
    expect(passwordExpired(0, 90 * day)).toBe(true);
  });
  it('refuses a password containing the user name', () => {
    expect(passwordProblem('zhangsan-2026-abc', 'zhangsan')).toBe('same_as_username');
  });
  it('refuses absurdly long input', () => {
    expect(passwordProblem('a'.repeat(129), 'li')).toBe('too_long');
  });
});
