import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * The one door for writes. SQLite has one writer and TypeORM's better-sqlite3 driver one
 * connection, so two requests each opening a transaction at once would collide ("cannot
 * start a transaction within a transaction"). Every write runs here: queued, one at a
 * time, as a single `BEGIN IMMEDIATE` transaction that commits whole or not at all.
 */
@Injectable()
export class UnitOfWork {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly dataSource: DataSource) {}

  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const next = this.tail.then(() => this.runNow(work));
    // Keep the queue going whether this unit succeeds or fails.
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async runNow<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    // better-sqlite3's driver hands out one shared query runner (one connection).
    const runner = this.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      const result = await work(runner.manager);
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    }
  }
}

const patched = Symbol('immediateTransactions');

/**
 * TypeORM opens SQLite transactions DEFERRED; a deferred transaction that reads and then
 * writes fails with SQLITE_BUSY at once (the busy handler is not consulted) if another
 * process (the CLI, a backup) wrote in between. IMMEDIATE takes the write lock up front and
 * waits for it within the busy timeout. The driver shares one query runner, so this rewrite
 * is applied once to that runner.
 */
export function useImmediateTransactions(dataSource: DataSource): void {
  const runner = dataSource.createQueryRunner() as ReturnType<DataSource['createQueryRunner']> & { [patched]?: true };
  if (runner[patched]) return;
  const query = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
  runner.query = ((sql: string, ...rest: unknown[]) =>
    query(sql === 'BEGIN TRANSACTION' ? 'BEGIN IMMEDIATE' : sql, ...rest)) as typeof runner.query;
  runner[patched] = true;
}
