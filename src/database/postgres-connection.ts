import { types } from 'pg';
import type { DataSource, QueryRunner } from 'typeorm';
import { toPostgres } from './postgres-sql';

/**
 * Makes a PostgreSQL DataSource speak the SQL the code and migrations are written in (see
 * postgres-sql.ts), and read numbers as numbers. Called once, before `initialize()`.
 */
export function usePostgresDialect(dataSource: DataSource): void {
  // Times are BIGINT milliseconds and COUNT(*) is BIGINT: both well inside 2^53. node-postgres
  // hands them over as strings unless told otherwise (it cannot know they fit).
  types.setTypeParser(types.builtins.INT8, (value: string) => Number(value));
  types.setTypeParser(types.builtins.NUMERIC, (value: string) => Number(value));
  const driver = dataSource.driver as unknown as { supportedDataTypes: string[]; createQueryRunner(mode: string): QueryRunner };
  // Entities declare binary columns as SQLite's 'blob'; on PostgreSQL they are BYTEA (the
  // migrations say so), and the driver passes Buffers through either way.
  driver.supportedDataTypes.push('blob');
  const create = driver.createQueryRunner.bind(driver);
  driver.createQueryRunner = (mode: string) => {
    const runner = create(mode);
    const query = runner.query.bind(runner) as (sql: string, ...rest: unknown[]) => Promise<unknown>;
    runner.query = ((sql: string, ...rest: unknown[]) => query(toPostgres(sql), ...rest)) as QueryRunner['query'];
    return runner;
  };
}

/** A transaction-level advisory lock key: every write unit takes it first (see UnitOfWork). */
export const WRITER_LOCK_KEY = 7_336_2026;

/** The advisory lock instances take in turn to apply migrations at start-up. */
export const MIGRATION_LOCK_KEY = 7_336_2027;
