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
  return statement(dataSource, sql).all(...params) as T[];
}

const statements = new WeakMap<object, Map<string, RawStatement>>();

/** Prepared once per connection and SQL text: preparing costs more than running a small query. */
function statement(dataSource: DataSource, sql: string): RawStatement {
  const connection = (dataSource.driver as unknown as { databaseConnection: { prepare(sql: string): RawStatement } }).databaseConnection;
  let cache = statements.get(connection);
  if (!cache) statements.set(connection, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = connection.prepare(sql).raw(true)));
  return stmt;
}
