import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Client } from 'pg';
import { toPostgres } from '../src/database/postgres-sql';

const ROOT = path.resolve(__dirname, '../..');

/**
 * A connection of its own to the service's database, as another process (an operator's shell,
 * the CLI, a benchmark's check) would have: better-sqlite3 on the file, or a pg client.
 * Statements are written for SQLite and carried over like the service's own. Used by the
 * benchmarks and by the specs.
 */
export interface DirectConnection {
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  run(sql: string, params?: unknown[]): Promise<void>;
  /** An INSERT into a table with an id column; the new id. */
  insert(sql: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

export async function openDirectConnection(target: { databasePath: string; databaseUrl?: string }, options: { triggersOff?: boolean } = {}): Promise<DirectConnection> {
  if (target.databaseUrl) {
    const client = new Client({ connectionString: target.databaseUrl });
    await client.connect();
    // What dropping a trigger does on SQLite: this session's writes skip every trigger.
    if (options.triggersOff) await client.query(`SET session_replication_role = replica`);
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

/** A new, empty database on a PostgreSQL server (a URL without a database), text sorted by code point as on SQLite; its URL. */
export async function createPostgresDatabase(server: string, name: string): Promise<string> {
  await onServer(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await onServer(server, `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
  return `${server}/${name}`;
}

/** Drops a database made by createPostgresDatabase (connections still open are ended). */
export async function dropPostgresDatabase(url: string): Promise<void> {
  const cut = url.lastIndexOf('/');
  await onServer(url.slice(0, cut), `DROP DATABASE IF EXISTS ${url.slice(cut + 1)} WITH (FORCE)`);
}

/**
 * The throw-away PostgreSQL cluster of scripts/postgres.sh (started, and the Debian package
 * installed, if need be): its server URL.
 */
export function startTestPostgres(): string {
  const started = spawnSync('bash', [path.join(ROOT, 'scripts/postgres.sh'), 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (started.status !== 0) throw new Error('could not start PostgreSQL (scripts/postgres.sh)');
  return started.stdout.trim().split('\n').pop()!;
}

async function onServer(server: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: `${server}/postgres` });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
