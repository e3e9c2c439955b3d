import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { dialectOf } from './dialect';
import { toPostgres } from './postgres-sql';

/** better-sqlite3's Database under TypeORM's driver: statements, the backup API. */
export interface RawConnection {
  prepare(sql: string): RawStatement;
  transaction(fn: () => void): () => void;
  pragma(sql: string): unknown;
  backup(destination: string, options?: { progress?: (info: { totalPages: number; remainingPages: number }) => number }): Promise<{ totalPages: number; remainingPages: number }>;
}

/** The one place that reaches past TypeORM to the better-sqlite3 connection (SQLite only). */
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
 * Where a raw statement runs: the DataSource (outside any transaction), or the EntityManager a
 * UnitOfWork hands its unit (inside that transaction). On SQLite both are the one connection;
 * on PostgreSQL only the manager is inside the transaction, so code in a unit passes it.
 */
export type Executor = DataSource | EntityManager;

/**
 * Rows as plain arrays, without entity hydration: for hot paths and for reads of 100,000 rows,
 * where hydration would cost more than the query (PITFALLS.md). On SQLite a prepared statement
 * on the ORM's own connection; on PostgreSQL the pg client with array rows.
 */
export async function rawRows<T extends unknown[]>(db: Executor, sql: string, params: unknown[] = []): Promise<T[]> {
  const dataSource = dataSourceOf(db);
  if (dialectOf(dataSource) === 'sqlite') return statement(dataSource, sql).all(...params) as T[];
  return (await onPostgres(db, sql, params)).rows as T[];
}

/** A write as a plain statement; how many rows it changed. */
export async function rawRun(db: Executor, sql: string, params: unknown[] = []): Promise<{ changes: number }> {
  const dataSource = dataSourceOf(db);
  if (dialectOf(dataSource) === 'sqlite') return { changes: statement(dataSource, sql).run(...params).changes };
  return { changes: (await onPostgres(db, sql, params)).rowCount ?? 0 };
}

/** An INSERT into a table with an `id` column; the new row's id. */
export async function rawInsert(db: Executor, sql: string, params: unknown[] = []): Promise<number> {
  const dataSource = dataSourceOf(db);
  if (dialectOf(dataSource) === 'sqlite') return Number(statement(dataSource, sql).run(...params).lastInsertRowid);
  const result = await onPostgres(db, `${sql} RETURNING id`, params);
  return Number(result.rows[0][0]);
}

/** The DataSource behind an executor. */
export function dataSourceOf(db: Executor): DataSource {
  return 'manager' in db ? (db as DataSource) : (db as EntityManager).connection;
}

interface PgClient {
  query(config: { name?: string; text: string; values: unknown[]; rowMode: 'array' }): Promise<{ rows: unknown[][]; rowCount: number | null }>;
}

const statementNames = new Map<string, string>();

/**
 * A name per SQL text, so each connection parses and plans a statement once (node-postgres
 * prepares a named statement on first use per connection): on a two-core machine the server's
 * planning was the bigger half of its time on the score-saving path. Transaction control
 * (SAVEPOINT and the like) stays unnamed, and so does anything past the first 2,000 texts.
 */
function statementName(text: string): string | undefined {
  if (/^(SAVEPOINT|RELEASE|ROLLBACK)\b/.test(text)) return undefined;
  let name = statementNames.get(text);
  if (!name && statementNames.size < 2000) statementNames.set(text, (name = `tp${statementNames.size}`));
  return name;
}

async function onPostgres(db: Executor, sql: string, params: unknown[]): Promise<{ rows: unknown[][]; rowCount: number | null }> {
  const text = toPostgres(sql);
  const inTransaction = 'manager' in db ? undefined : (db as EntityManager).queryRunner;
  const runner: QueryRunner = inTransaction ?? dataSourceOf(db).createQueryRunner();
  try {
    const client = (await runner.connect()) as PgClient;
    return await client.query({ name: statementName(text), text, values: params, rowMode: 'array' });
  } finally {
    if (!inTransaction) await runner.release();
  }
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
