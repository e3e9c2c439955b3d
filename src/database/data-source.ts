import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dialectOf } from './dialect';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migration-list';
import { MIGRATION_LOCK_KEY, usePostgresDialect } from './postgres-connection';
import { QueryLogger } from './query-logger';
import { keepPlansStable } from './stable-plans';
import { useImmediateTransactions } from './unit-of-work';

/**
 * The one description of the database, shared by the service and the CLI.
 * Pragmas are set here rather than through TypeORM's `enableWAL` because turning WAL on in
 * better-sqlite3's build silently drops `synchronous` to NORMAL, which can lose a committed
 * transaction on power loss: WAL first, then FULL.
 */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: ['error', 'warn'] as ('error' | 'warn')[],
    logger: new QueryLogger(),
    maxQueryExecutionTime: 1000,
  };
  if (config.DATABASE_URL) {
    return {
      ...common,
      type: 'postgres',
      url: config.DATABASE_URL,
      applicationName: 'tianping',
      // The pool's own wait for a free connection, so an overloaded instance answers with an error instead of hanging.
      extra: { max: config.DATABASE_POOL_SIZE, connectionTimeoutMillis: config.DATABASE_BUSY_TIMEOUT_MS },
    };
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: config.databasePath,
    timeout: config.DATABASE_BUSY_TIMEOUT_MS,
    // Preparing a statement costs more than running it; TypeORM's default FIFO cache of 100
    // is smaller than the set of statements a busy minute uses.
    statementCacheSize: 2000,
    prepareDatabase: (db: { pragma(sql: string): unknown; prepare(sql: string): unknown }) => {
      keepPlansStable(db);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma(`busy_timeout = ${config.DATABASE_BUSY_TIMEOUT_MS}`);
    },
  };
}

/** Opens the database, applies pending migrations and checks the durability settings. */
export async function openDatabase(config: AppConfig): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions(config));
  if (dialectOf(dataSource) === 'postgres') usePostgresDialect(dataSource);
  await dataSource.initialize();
  if (dialectOf(dataSource) === 'sqlite') useImmediateTransactions(dataSource, config.DATABASE_BUSY_TIMEOUT_MS);
  await migrateAlone(dataSource);
  await assertDurability(dataSource);
  return dataSource;
}

/**
 * Applies pending migrations. Instances starting at once on one PostgreSQL database take turns
 * (a session-level advisory lock on a connection of its own): the first migrates, the others
 * then find nothing pending.
 */
async function migrateAlone(dataSource: DataSource): Promise<void> {
  if (dialectOf(dataSource) === 'sqlite') {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = dataSource.createQueryRunner();
  try {
    await lock.query(`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY})`);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query(`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY})`).catch(() => undefined);
    await lock.release();
  }
}

async function assertDurability(dataSource: DataSource): Promise<void> {
  if (dialectOf(dataSource) === 'postgres') {
    // A commit is acknowledged only once it is on disk, as with SQLite's synchronous=FULL.
    const [{ fsync, commit }] = await dataSource.query(`SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS commit`);
    if (fsync !== 'on' || !['on', 'remote_write', 'remote_apply'].includes(commit)) {
      throw new Error(`PostgreSQL is not in the required mode (fsync=${fsync}, synchronous_commit=${commit}); refusing to start`);
    }
    return;
  }
  const [journal] = await dataSource.query('PRAGMA journal_mode');
  const [sync] = await dataSource.query('PRAGMA synchronous');
  const [fk] = await dataSource.query('PRAGMA foreign_keys');
  // synchronous: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA
  if (journal.journal_mode !== 'wal' || sync.synchronous < 2 || fk.foreign_keys !== 1) {
    throw new Error(
      `SQLite is not in the required mode (journal_mode=${journal.journal_mode}, synchronous=${sync.synchronous}, foreign_keys=${fk.foreign_keys}); refusing to start`,
    );
  }
}
