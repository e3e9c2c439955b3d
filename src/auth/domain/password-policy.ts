export const MIN_PASSWORD_LENGTH = 12;

export type PasswordProblem = 'too_short' | 'too_long' | 'same_as_username';

/** Checks a new password; returns the first problem or null. */
export function passwordProblem(password: string, username: string): PasswordProblem | null {
  const length = Array.from(password).length;
  if (length < MIN_PASSWORD_LENGTH) return 'too_short';
  // The KDF hashes everything; bound the work a single request can cause.
  if (length > 128) return 'too_long';
  if (password.toLowerCase().includes(username.toLowerCase()) && username.length >= 3) return 'same_as_username';
  return null;
}
