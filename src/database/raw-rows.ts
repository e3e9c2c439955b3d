import type { DataSource } from 'typeorm';

/** better-sqlite3's Database under TypeORM's driver: statements, the backup API. */
export interface RawConnection {
  prepare(sql: string): RawStatement;
  transaction(fn: () => void): () => void;
  backup(destination: string, options?: { progress?: (info: { totalPages: number; remainingPages: number }) => number }): Promise<{ totalPages: number; remainingPages: number }>;
}

/** The one place that reaches past TypeORM to the better-sqlite3 connection. */
export function rawConnection(dataSource: DataSource): RawConnection {
  return (dataSource.driver as unknown as { databaseConnection: RawConnection }).databaseConnection;
}

interface RawStatement {
  raw(toggle: boolean): RawStatement;
  all(...params: unknown[]): unknown[][];
  run(...params: unknown[]): { changes: number; lastInsertRowid: number | bigint };
  reader: boolean;
}

/**
 * Rows as plain arrays, straight from better-sqlite3 on the ORM's own connection (so inside
 * a UnitOfWork they see its transaction). For hot paths that read 100,000 rows: entity
 * hydration would cost more than the query (PITFALLS.md).
 */
export function rawRows<T extends unknown[]>(dataSource: DataSource, sql: string, params: unknown[] = []): T[] {
  return statement(dataSource, sql).all(...params) as T[];
}

/**
 * A write as a plain prepared statement on the same connection. Only inside a UnitOfWork
 * (which holds the transaction): used on the hottest write path, where TypeORM's query
 * wrapper costs more than SQLite does.
 */
export function rawRun(dataSource: DataSource, sql: string, params: unknown[] = []): { changes: number; lastInsertRowid: number } {
  const result = statement(dataSource, sql).run(...params);
  return { changes: result.changes, lastInsertRowid: Number(result.lastInsertRowid) };
}

const statements = new WeakMap<object, Map<string, RawStatement>>();

/** Prepared once per connection and SQL text: preparing costs more than running a small query. */
function statement(dataSource: DataSource, sql: string): RawStatement {
  const connection = rawConnection(dataSource);
  let cache = statements.get(connection);
  if (!cache) statements.set(connection, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = connection.prepare(sql);
    if (stmt.reader) stmt.raw(true);
    cache.set(sql, stmt);
  }
  return stmt;
}
