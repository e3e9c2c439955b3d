import type { DataSource } from 'typeorm';

/** The two databases Tianping runs on: the embedded SQLite file, or a shared PostgreSQL server. */
export type Dialect = 'sqlite' | 'postgres';

export function dialectOf(dataSource: DataSource): Dialect {
  return dataSource.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * Whether an error is the database refusing a write on a constraint (unique, check, foreign
 * key): SQLite's SQLITE_CONSTRAINT_*, PostgreSQL's class 23. TypeORM wraps the driver's error
 * as `driverError`; raw statements throw it as it is.
 */
export function isConstraintViolation(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = String(e?.driverError?.code ?? e?.code ?? '');
  return code.startsWith('SQLITE_CONSTRAINT') || (/^23\d{3}$/.test(code) && code !== '23000');
}

/**
 * A LIKE pattern matching `text` anywhere, its wildcards and backslashes escaped: use it with
 * `LIKE :x ESCAPE '\'`, which both databases read alike (PostgreSQL otherwise treats a
 * backslash in the pattern as an escape, SQLite does not).
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
}
