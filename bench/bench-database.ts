import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Client } from 'pg';
import { toPostgres } from '../src/database/postgres-sql';

const ROOT = path.resolve(__dirname, '../..');

/** The benchmarks' own connection to the service's database, SQLite file or PostgreSQL: statements written for SQLite. */
export interface BenchDatabase {
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
  /** An INSERT into a table with an id column; the new id. */
  insert(sql: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

export async function openBenchDatabase(target: { databasePath: string; databaseUrl?: string }): Promise<BenchDatabase> {
  if (target.databaseUrl) {
    const client = new Client({ connectionString: target.databaseUrl });
    await client.connect();
    return {
      all: async <T>(sql: string, params: unknown[] = []) => (await client.query(toPostgres(sql), params)).rows as T[],
      run: async (sql, params = []) => void (await client.query(toPostgres(sql), params)),
      insert: async (sql, params = []) => Number((await client.query(toPostgres(`${sql} RETURNING id`), params)).rows[0].id),
      close: () => client.end(),
    };
  }
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(target.databasePath);
  db.pragma('busy_timeout = 10000');
  return {
    all: async <T>(sql: string, params: unknown[] = []) => db.prepare(sql).all(...params) as T[],
    run: async (sql, params = []) => void db.prepare(sql).run(...params),
    insert: async (sql, params = []) => Number(db.prepare(sql).run(...params).lastInsertRowid),
    close: async () => void db.close(),
  };
}

/**
 * A new database on the throw-away PostgreSQL cluster of scripts/postgres.sh (started, and the
 * Debian package installed, if need be); its URL.
 */
export async function benchPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const started = spawnSync('bash', [path.join(ROOT, 'scripts/postgres.sh'), 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (started.status !== 0) throw new Error('could not start PostgreSQL (scripts/postgres.sh)');
  const server = started.stdout.trim().split('\n').pop()!;
  const name = `bench_${process.pid}`;
  const admin = async (sql: string) => {
    const client = new Client({ connectionString: `${server}/postgres` });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  return { url: `${server}/${name}`, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
