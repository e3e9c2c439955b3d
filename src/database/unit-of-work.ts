import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { DomainError } from '../common/domain-error';
import { zhCN } from '../common/i18n/zh-CN';
import { dialectOf, isLockBusy, isRetryable } from './dialect';
import { WRITER_LOCK_KEY } from './postgres-connection';
import { rawConnection, rawRun } from './raw-rows';

interface Unit {
  work: (manager: EntityManager) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The most units committed together: bounds how long the first one waits for the last. */
const MAX_GROUP = 64;
/**
 * Units enough to commit without waiting for more. After the process was held up (a stall, a
 * burst of the host's steal), every request waiting on its socket is read and queued in one turn
 * of the event loop before the next commit: after a 100 ms stop, 150 of them, read at 0.2–0.3 ms
 * each, so the first waited some 30 ms more for its commit. Measured with bench:scores, 20 ms
 * stops every 100 ms for 2 s (BENCH_FREEZE_MS): saves over 25 ms a burst 16–912 (median 101) in
 * 17 bursts with this at 16, 121–1,650 (median 214) in 17 without; at 32, which such a stall's
 * backlog does not reach, 145–247 in 6. After single 100 ms stops about the same (201–250 against
 * 181–631). Under steady load a group holds 1–2 units and never reaches it; in ordinary runs,
 * whose stalls come from the host, 9 alternating pairs showed no clear difference in p99.
 */
const EAGER_GROUP = 16;

/**
 * The one door for writes. SQLite has one writer and TypeORM's better-sqlite3 driver one
 * connection, so two requests each opening a transaction at once would collide ("cannot
 * start a transaction within a transaction"). Every write runs here, queued, one unit at a
 * time, each all-or-nothing.
 *
 * Group commit: units that queue up while a transaction is running go into the next one
 * together, each inside its own SAVEPOINT (a failing unit is rolled back alone), and all are
 * answered only after the single COMMIT — one fsync for many writes, and no unit is reported
 * done before it is durable.
 *
 * On PostgreSQL the same design holds across instances: each group's transaction first takes
 * one transaction-level advisory lock, so writers from every instance run one group at a time,
 * exactly as SQLite's single writer lock makes them. Code written for one writer (read the
 * last audit hash, then append; check, then insert) stays correct with several instances.
 *
 * A unit marked `shared` touches only rows of its own, guarded by row versions and unique keys
 * (an evaluator's draft, a session's last-seen time). On PostgreSQL such units run side by side,
 * each in its own transaction under the same lock taken in shared mode: never alongside an
 * exclusive group (closing a step waits for the drafts in flight, and drafts wait for it), but
 * alongside each other, so the busiest write is not queued behind one connection. A deadlock or
 * serialisation failure between two of them is retried. On SQLite `shared` changes nothing.
 */
@Injectable()
export class UnitOfWork {
  private readonly queue: Unit[] = [];
  private draining = false;
  /** Ends the drain's wait for the event loop's turn early, once EAGER_GROUP units are queued. */
  private stopWaiting: (() => void) | null = null;
  private readonly sharedSlots: Semaphore;
  /** PostgreSQL: the statements taking the writer lock, exclusive and shared (see writerLockSql). */
  private readonly lockSql: Record<'exclusive' | 'shared', string>;

  constructor(private readonly dataSource: DataSource) {
    const extra = (dataSource.options as { extra?: { max?: number; connectionTimeoutMillis?: number } }).extra;
    // Leave connections for the exclusive group and for reads (sessions, pages): at least three.
    this.sharedSlots = new Semaphore(Math.max(1, Number(extra?.max ?? 10) - 4));
    this.lockSql = { exclusive: writerLockSql('exclusive', extra?.connectionTimeoutMillis), shared: writerLockSql('shared', extra?.connectionTimeoutMillis) };
  }

  run<T>(work: (manager: EntityManager) => Promise<T>, options: { shared?: boolean } = {}): Promise<T> {
    if (options.shared && dialectOf(this.dataSource) === 'postgres') return this.runShared(work);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.queue.length >= EAGER_GROUP) this.stopWaiting?.();
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        // SQLite calls are synchronous, so no request can arrive while a group runs. Yield to
        // the event loop once so that requests already waiting on their sockets reach the
        // queue and share the next commit, unless enough are queued already. (On PostgreSQL
        // requests also queue up while a group waits for the database; they go into the next group.)
        if (this.queue.length < EAGER_GROUP) {
          await new Promise<void>((resolve) => {
            this.stopWaiting = resolve;
            setImmediate(resolve);
          });
          this.stopWaiting = null;
        }
        await this.commitGroup(this.queue.splice(0, MAX_GROUP));
      }
    } finally {
      this.draining = false;
    }
  }

  private async runShared<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    await this.sharedSlots.acquire();
    try {
      for (let attempt = 1; ; attempt++) {
        const runner = this.dataSource.createQueryRunner();
        try {
          await runner.startTransaction();
          await runner.query(this.lockSql.shared);
          const value = await work(runner.manager);
          await runner.commitTransaction();
          return value;
        } catch (error) {
          if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
          if (attempt < 3 && isRetryable(error)) continue;
          throw busyOr(error);
        } finally {
          await runner.release();
        }
      }
    } finally {
      this.sharedSlots.release();
    }
  }

  private async commitGroup(group: Unit[]): Promise<void> {
    // better-sqlite3's driver hands out one shared query runner (one connection); PostgreSQL's
    // a pooled connection, held for the group and given back after it.
    const postgres = dialectOf(this.dataSource) === 'postgres';
    const runner = this.dataSource.createQueryRunner();
    try {
      await this.runGroup(runner, group, postgres);
    } finally {
      if (postgres) await runner.release();
    }
  }

  private async runGroup(runner: QueryRunner, group: Unit[], postgres: boolean): Promise<void> {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    const m = runner.manager;
    try {
      await runner.startTransaction();
      if (postgres) await runner.query(this.lockSql.exclusive);
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      for (const unit of group) unit.reject(busyOr(error));
      return;
    }
    for (const unit of group) {
      try {
        await rawRun(m, 'SAVEPOINT unit_of_work');
        const value = await unit.work(m);
        await rawRun(m, 'RELEASE SAVEPOINT unit_of_work');
        outcomes.push({ ok: true, value });
      } catch (error) {
        try {
          await rawRun(m, 'ROLLBACK TO SAVEPOINT unit_of_work');
          await rawRun(m, 'RELEASE SAVEPOINT unit_of_work');
          outcomes.push({ ok: false, error });
        } catch (broken) {
          // The connection itself failed: nothing in this transaction can be trusted.
          if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
          for (const u of group) u.reject(broken);
          return;
        }
      }
    }
    try {
      await runner.commitTransaction();
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      for (const unit of group) unit.reject(error);
      return;
    }
    group.forEach((unit, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) unit.resolve(outcome.value);
      else unit.reject(outcome.error);
    });
  }
}

/**
 * PostgreSQL: the writer lock, waited for no longer than the busy timeout (the pool's own wait
 * for a connection, DATABASE_BUSY_TIMEOUT_MS), as SQLite's writers wait for its lock.
 */
function writerLockSql(mode: 'exclusive' | 'shared', timeoutMs = 10_000): string {
  return `SELECT set_config('lock_timeout', '${timeoutMs}ms', true), pg_advisory_xact_lock${mode === 'shared' ? '_shared' : ''}(${WRITER_LOCK_KEY})`;
}

/** A writer that gave up waiting for the lock another process held: a clear 503, not a 500. */
function busyOr(error: unknown): unknown {
  return isLockBusy(error) ? new DomainError('unavailable', zhCN.errors.databaseBusy) : error;
}

/** At most `size` holders at once; the rest wait in order. */
class Semaphore {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly size: number) {}

  async acquire(): Promise<void> {
    if (this.held < this.size) {
      this.held++;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held--;
  }
}

const patched = Symbol('immediateTransactions');

/**
 * TypeORM opens SQLite transactions DEFERRED; a deferred transaction that reads and then
 * writes fails with SQLITE_BUSY at once (the busy handler is not consulted) if another
 * process (the CLI, a backup, another instance) wrote in between. IMMEDIATE takes the write
 * lock up front.
 *
 * While another process holds that lock, SQLite's busy handler would wait by sleeping on the
 * calling thread: for Node, the whole event loop, so no page, log-in or health check would be
 * answered until the other process let go. So the lock is asked for without waiting (busy
 * timeout 0 for that one statement) and, while it is taken, asked again a moment later with
 * the event loop serving requests in between. After the configured busy timeout the writes
 * waiting for it fail with a clear 503. The driver shares one query runner, so this rewrite
 * is applied once to that runner.
 */
export function useImmediateTransactions(dataSource: DataSource, busyTimeoutMs: number): void {
  const runner = dataSource.createQueryRunner() as ReturnType<DataSource['createQueryRunner']> & { [patched]?: true };
  if (runner[patched]) return;
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  const connection = rawConnection(dataSource);
  // Prepared once: pragma() would prepare its statement on every call, twice per transaction.
  const [noWait, begin, wait] = ['PRAGMA busy_timeout = 0', 'BEGIN IMMEDIATE', `PRAGMA busy_timeout = ${busyTimeoutMs}`].map((sql) => connection.prepare(sql));
  const tryBegin = (): boolean => {
    noWait.all(); // a pragma setting the timeout answers with a row: all(), not run()
    try {
      begin.run();
      return true;
    } catch (error) {
      if (isLockBusy(error)) return false;
      throw error;
    } finally {
      wait.all();
    }
  };
  const beginImmediate = async (): Promise<void> => {
    const deadline = Date.now() + busyTimeoutMs;
    try {
      for (let attempt = 0; !tryBegin(); attempt++) {
        if (Date.now() >= deadline) throw new DomainError('unavailable', zhCN.errors.databaseBusy);
        await new Promise((resolve) => (attempt < 3 ? setImmediate(resolve) : setTimeout(resolve, 2)));
      }
    } catch (error) {
      // TypeORM marked the transaction active before asking; none was opened.
      (runner as { isTransactionActive: boolean }).isTransactionActive = false;
      throw error;
    }
  };
  runner.query = ((sql: string, ...rest: unknown[]) => (sql === 'BEGIN TRANSACTION' ? beginImmediate() : query(sql, ...rest))) as typeof runner.query;
  runner[patched] = true;
}
