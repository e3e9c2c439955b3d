import { createPostgresDatabase } from '../../bench/direct-connection';

export { dropPostgresDatabase } from '../../bench/direct-connection';

/**
 * The PostgreSQL server the suite runs against when `TIANPING_TEST_POSTGRES` is set (scripts/test.sh
 * starts one from Debian's package): a server URL without a database name. Unset, specs run on
 * SQLite files.
 */
export const TEST_POSTGRES = process.env.TIANPING_TEST_POSTGRES?.replace(/\/+$/, '');

let counter = 0;

/** A new, empty database on the test server; its URL. */
export function freshPostgresDatabase(): Promise<string> {
  return createPostgresDatabase(TEST_POSTGRES!, `tp_${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`);
}
