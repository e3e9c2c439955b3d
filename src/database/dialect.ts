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
  const code = errorCode(error);
  return code.startsWith('SQLITE_CONSTRAINT') || (/^23\d{3}$/.test(code) && code !== '23000');
}

/** PostgreSQL's deadlock and serialisation failures: the transaction did nothing and may run again. */
export function isRetryable(error: unknown): boolean {
  const code = errorCode(error);
  return code === '40P01' || code === '40001';
}

/** Another process holds the lock a writer asked for: SQLITE_BUSY, or PostgreSQL's lock_timeout expiring (55P03). */
export function isLockBusy(error: unknown): boolean {
  const code = errorCode(error);
  return code === 'SQLITE_BUSY' || code === '55P03';
}

/** The driver's error code, whether TypeORM wrapped the error or not. */
function errorCode(error: unknown): string {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  return String(e?.driverError?.code ?? e?.code ?? '');
}

/**
 * A LIKE pattern matching `text` anywhere, its wildcards and backslashes escaped: use it with
 * `LIKE :x ESCAPE '\'`, which both databases read alike (PostgreSQL otherwise treats a
 * backslash in the pattern as an escape, SQLite does not).
 */
export function containsPattern(text: string): string {
  return `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
}
