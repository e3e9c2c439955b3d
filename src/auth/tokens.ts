import { hash, randomBytes, randomInt } from 'node:crypto';
import { characterClasses } from './domain/password-policy';

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
    const candidate = Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join('');
    // Upper case, lower case and digits: the three classes the password rules ask for.
    if (characterClasses(candidate) >= 3) return candidate;
  }
}
