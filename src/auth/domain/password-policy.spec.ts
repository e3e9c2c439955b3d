import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it('requires at least 12 characters, counting Chinese characters as one each', () => {
    expect(passwordProblem('short-pass1', 'li')).toBe('too_short');
    expect(passwordProblem('天平评价员密码天平评价员密', 'li')).toBeNull();
  });
  it('refuses a password containing the user name', () => {
    expect(passwordProblem('zhangsan-2026-abc', 'zhangsan')).toBe('same_as_username');
  });
  it('refuses absurdly long input', () => {
    expect(passwordProblem('a'.repeat(129), 'li')).toBe('too_long');
  });
});
