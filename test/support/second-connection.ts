import { Client } from 'pg';
import { toPostgres } from '../../src/database/postgres-sql';
import type { TestApp } from './create-test-app';

/**
 * A connection of its own to a test app's database, as another process (the CLI, an operator's
 * shell, a second instance) would have: better-sqlite3 on the file, or a pg client. Statements
 * are written for SQLite and carried over like the service's own.
 */
export interface SecondConnection {
  run(sql: string, params?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export async function secondConnection(t: TestApp, options: { triggersOff?: boolean } = {}): Promise<SecondConnection> {
  if (t.databaseUrl) {
    const client = new Client({ connectionString: t.databaseUrl });
    await client.connect();
    // What dropping a trigger does on SQLite: this session's writes skip every trigger.
    if (options.triggersOff) await client.query(`SET session_replication_role = replica`);
    return {
      run: async (sql, params = []) => void (await client.query(toPostgres(sql), params)),
      close: () => client.end(),
    };
  }
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(t.databasePath);
  db.pragma('busy_timeout = 5000');
  return {
    run: async (sql, params = []) => void db.prepare(sql).run(...params),
    close: async () => void db.close(),
  };
}
