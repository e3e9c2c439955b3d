/**
 * Mainland resident ID numbers (GB 11643-1999): 17 digits and a check character.
 * The check character is Σ(digit_i × weight_i) mod 11 mapped through CHECK_CHARS.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

export type IdNumberCheck =
  | { ok: true; normalized: string; birthYear: number; birthDate: string; gender: 'male' | 'female' }
  | { ok: false; reason: 'format' | 'birth_date' | 'check_digit' };

/** Computes the check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** Validates an 18-character ID number: format, a real birth date, and the check character. */
export function checkIdNumber(input: string): IdNumberCheck {
  const value = input.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(value)) return { ok: false, reason: 'format' };
  const year = Number(value.slice(6, 10));
  const month = Number(value.slice(10, 12));
  const day = Number(value.slice(12, 14));
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!real || year < 1900) return { ok: false, reason: 'birth_date' };
  if (idCheckChar(value) !== value[17]) return { ok: false, reason: 'check_digit' };
  return {
    ok: true,
    normalized: value,
    birthYear: year,
    birthDate: value.slice(6, 14),
    // The 17th digit is odd for men and even for women.
    gender: Number(value[16]) % 2 === 1 ? 'male' : 'female',
  };
}
