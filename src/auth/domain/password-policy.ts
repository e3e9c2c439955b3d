export const MIN_PASSWORD_LENGTH = 12;
/** MLPS level 3 practice (等保三级): passwords are changed at least every 90 days… */
export const PASSWORD_MAX_AGE_DAYS = 90;
/** …and none of the last five may come back. */
export const PASSWORD_HISTORY = 5;

export type PasswordProblem = 'too_short' | 'too_long' | 'same_as_username' | 'too_simple';

/** How many of the four classes (lower case, upper case, digits, anything else) a password uses. */
export function characterClasses(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
}

/** Checks a new password; returns the first problem or null. */
export function passwordProblem(password: string, username: string): PasswordProblem | null {
  const length = Array.from(password).length;
  if (length < MIN_PASSWORD_LENGTH) return 'too_short';
  // The KDF hashes everything; bound the work a single request can cause.
  if (length > 128) return 'too_long';
  if (password.toLowerCase().includes(username.toLowerCase()) && username.length >= 3) return 'same_as_username';
  if (characterClasses(password) < 3) return 'too_simple';
  return null;
}

/** Whether a password set at `changedAt` must be replaced now. */
export function passwordExpired(changedAt: number, now: number): boolean {
  return now - changedAt >= PASSWORD_MAX_AGE_DAYS * 86_400_000;
}
