import type { DataSource } from 'typeorm';

interface RawStatement {
  raw(toggle: boolean): RawStatement;
  all(...params: unknown[]): unknown[][];
}

/**
 * Rows as plain arrays, straight from better-sqlite3 on the ORM's own connection (so inside
 * a UnitOfWork they see its transaction). For hot paths that read 100,000 rows: entity
 * hydration would cost more than the query (PITFALLS.md).
 */
export function rawRows<T extends unknown[]>(dataSource: DataSource, sql: string, params: unknown[] = []): T[] {
  const connection = (dataSource.driver as unknown as { databaseConnection: { prepare(sql: string): RawStatement } }).databaseConnection;
  return connection.prepare(sql).raw(true).all(...params) as T[];
}
