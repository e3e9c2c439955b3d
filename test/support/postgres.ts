import { Client } from 'pg';

/**
 * The PostgreSQL server the suite runs against when `TIANPING_TEST_POSTGRES` is set (scripts/test.sh
 * starts one from Debian's package): a server URL without a database name. Unset, specs run on
 * SQLite files.
 */
export const TEST_POSTGRES = process.env.TIANPING_TEST_POSTGRES?.replace(/\/+$/, '');

let counter = 0;

/** A new, empty database on the test server, with byte-order text sorting like SQLite's; its URL. */
export async function freshPostgresDatabase(): Promise<string> {
  const name = `tp_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
  await onServer((c) => c.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`));
  return `${TEST_POSTGRES}/${name}`;
}

/** Drops a database made by freshPostgresDatabase (connections still open are ended). */
export async function dropPostgresDatabase(url: string): Promise<void> {
  const name = url.slice(url.lastIndexOf('/') + 1);
  await onServer((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

async function onServer<T>(fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: `${TEST_POSTGRES}/postgres` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
