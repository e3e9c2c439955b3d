/**
 * class-transformer @Transform functions shared by every DTO: form posts arrive as strings
 * (and a checkbox after a hidden field as an array), JSON bodies as typed values.
 */
type Input = { value: unknown };

export const trim = ({ value }: Input) => (typeof value === 'string' ? value.trim() : value);

/** A case number with its Latin letters in capitals: sq-2026-0001 and SQ-2026-0001 are one number. */
export const caseNumberOf = ({ value }: Input) => (typeof value === 'string' ? value.trim().replace(/[a-z]/g, (c) => c.toUpperCase()) : value);

/** A blank string counts as absent (optional fields left empty on a form). */
export const emptyToUndefined = ({ value }: Input) =>
  typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim()) : value;

/** "42" → 42; anything else is left for the validators to refuse. */
export const toInt = ({ value }: Input) => (typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value);

/** Digits typed on a Chinese keyboard may come full-width (１９５７). */
export function halfWidthDigits(text: string): string {
  return text.replace(/[０-９]/g, (d) => String(d.charCodeAt(0) - 0xff10));
}

/** A code or number as copied from paper: full-width digits, groups split by spaces or dashes, joined up. */
export function compactCode(text: string): string {
  return halfWidthDigits(text).replace(/[\s\-－—]/g, '');
}

/** An ID number as written on paper: spaces or dashes between its groups, full-width digits, a small x. */
export const idNumberOf = ({ value }: Input) => (typeof value === 'string' ? compactCode(value).toUpperCase() : value);

/** A year as people write it: "1957", "1957年", "１９５７". */
export const toYear = ({ value }: Input) => (typeof value === 'string' ? toInt({ value: halfWidthDigits(value).replace(/\s*年\s*$/, '') }) : value);

export const toOptionalInt = ({ value }: Input) => (value === '' || value === undefined || value === null ? undefined : toInt({ value }));

/** One value or a repeated field, as a list of integers. */
export const toIntList = ({ value }: Input) =>
  (Array.isArray(value) ? value : value === undefined || value === '' ? [] : [value]).map((v) => toInt({ value: v }));

/** "on"/"true"/"1" → true, "false"/"0"/"" → false; with a hidden "false" before a checkbox the last value wins. */
export const toBool = ({ value: raw }: Input) => {
  const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  return value === 'on' || value === 'true' || value === '1' ? true : value === 'false' || value === '0' || value === '' ? false : value;
};

/** Phone numbers as typed ("139-3701 2345") or as a number from a spreadsheet cell. */
export const digitsOnly = ({ value }: Input) =>
  typeof value === 'string' ? value.replace(/[\s-]/g, '') : typeof value === 'number' ? String(value) : value;
