/**
 * Masks a personal identifier, keeping the first 3 and last 4 characters visible:
 * 410102199001011234 → 410***********1234, 13812345678 → 138****5678.
 * Values too short to keep 7 characters are masked entirely but for the last one.
 */
export function maskIdentifier(value: string | null | undefined): string {
  if (!value) return '';
  const chars = Array.from(value);
  if (chars.length <= 7) return '*'.repeat(Math.max(chars.length - 1, 0)) + chars.slice(-1).join('');
  return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
}
