import { hash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

/** Initial and reset passwords: 16 characters from an alphabet without look-alikes (0/O, 1/l). */
export function newInitialPassword(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz23456789';
  for (;;) {
    const candidate = Array.from(randomBytes(16), (b) => alphabet[b % alphabet.length]).join('');
    // Upper case, lower case and a digit: the three classes the password rules ask for.
    if (/[A-Z]/.test(candidate) && /[a-z]/.test(candidate) && /[0-9]/.test(candidate)) return candidate;
  }
}
