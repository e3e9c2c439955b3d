import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migration-list';
import { QueryLogger } from './query-logger';
import { useImmediateTransactions } from './unit-of-work';

/**
 * The one description of the database, shared by the service and the CLI.
 * Pragmas are set here rather than through TypeORM's `enableWAL` because turning WAL on in
 * better-sqlite3's build silently drops `synchronous` to NORMAL, which can lose a committed
 * transaction on power loss: WAL first, then FULL.
 */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  return {
    type: 'better-sqlite3',
    database: config.databasePath,
    timeout: config.DATABASE_BUSY_TIMEOUT_MS,
    // Preparing a statement costs more than running it; TypeORM's default FIFO cache of 100
    // is smaller than the set of statements a busy minute uses.
    statementCacheSize: 2000,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma(`busy_timeout = ${config.DATABASE_BUSY_TIMEOUT_MS}`);
    },
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: ['error', 'warn'],
    logger: new QueryLogger(),
    maxQueryExecutionTime: 1000,
  };
}

/** Opens the database, applies pending migrations and checks the durability settings. */
export async function openDatabase(config: AppConfig): Promise<DataSource> {
  const dataSource = new DataSource(dataSourceOptions(config));
  await dataSource.initialize();
  useImmediateTransactions(dataSource);
  await dataSource.runMigrations({ transaction: 'each' });
  await assertDurability(dataSource);
  return dataSource;
}

async function assertDurability(dataSource: DataSource): Promise<void> {
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
