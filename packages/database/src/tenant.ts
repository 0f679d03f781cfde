import DataLoader from 'dataloader';
import { runAfterCommit } from './after-commit.js';
import type { Database, PrismaClient } from './client.js';
import { scopeSettingsSql, type Scope } from './scope.js';
import { readInScopeSql } from './sql-read-in-scope.js';
import { inScopeSql, type RawSql, type SqlTransaction } from './sql-transaction.js';

export type { Scope } from './scope.js';

/** A transaction handle: the Prisma client as seen inside `$transaction`. */
export type Transaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export interface TransactionOptions {
  isolationLevel?: 'ReadCommitted' | 'RepeatableRead' | 'Serializable';
  timeout?: number;
}

/**
 * The one way to reach tenant tables: a transaction whose first statement sets the
 * transaction-local settings that the row-level security policies compare with.
 * An unset store matches no tenant row. What the transaction registered with afterCommit runs
 * once it has committed.
 */
export async function inScope<T>(
  prisma: PrismaClient,
  scope: Scope,
  fn: (tx: Transaction) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const opened: { tx?: Transaction } = {};
  const result = await prisma.$transaction(
    async (tx) => {
      opened.tx = tx;
      await tx.$executeRaw(scopeSettingsSql(scope));
      return fn(tx);
    },
    { maxWait: 5_000, timeout: options.timeout ?? 10_000, isolationLevel: options.isolationLevel },
  );
  if (opened.tx) runAfterCommit(opened.tx, prisma);
  return result;
}

type Read = (tx: Transaction) => Promise<unknown>;

/**
 * A database handle bound to one request's scope. Services use `transaction` for each unit of
 * work; DataLoaders use `read`, which shares one tenant transaction between the reads that are
 * dispatched together.
 */
export class ScopedDatabase {
  private readonly reads: DataLoader<Read, unknown>;

  constructor(
    readonly database: Database,
    readonly scope: Scope,
  ) {
    // Loaders of one resolver level dispatch in the same tick; running their queries one after
    // another in one transaction saves a scope statement and a COMMIT per loader.
    this.reads = new DataLoader<Read, unknown>(
      (works) =>
        this.transaction(async (tx) => {
          const results: unknown[] = [];
          for (const work of works) results.push(await work(tx));
          return results;
        }),
      { cache: false },
    );
  }

  /** A read batched with the other reads dispatched in the same tick, in one tenant transaction. */
  read<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.reads.load(work) as Promise<T>;
  }

  /**
   * A read of one statement in a tenant transaction of its own, sent to PostgreSQL in one message
   * (sql-read-in-scope.ts): for the storefront's hottest reads, whose code takes a RawSql.
   */
  readStatement<T>(fn: (tx: RawSql) => Promise<T>): Promise<T> {
    return readInScopeSql(this.database, this.scope, fn);
  }

  /** The process's Prisma client, for work that opens its own transactions. */
  get prisma(): PrismaClient {
    return this.database.prisma;
  }

  /** The store this handle acts in, if any. */
  get storeId(): string | null {
    return this.scope.storeId ?? null;
  }

  transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return inScope(this.database.prisma, this.scope, fn, options);
  }

  /**
   * A unit of work in SQL alone, on node-postgres without Prisma's transaction machinery (see
   * sql-transaction.ts): for the hottest write paths, whose code takes a RawSql.
   */
  sqlTransaction<T>(fn: (tx: SqlTransaction) => Promise<T>, options?: { timeout?: number }): Promise<T> {
    return inScopeSql(this.database, this.scope, fn, options);
  }

  /** The same database acting for another scope (e.g. a seller creating a store, then acting in it). */
  withScope(scope: Scope): ScopedDatabase {
    return new ScopedDatabase(this.database, scope);
  }
}
