import type { PrismaClient } from './client.js';

/** A transaction handle: the Prisma client as seen inside `$transaction`. */
export type Transaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

/** Who a unit of work acts for: a store (tenant) and/or a seller at platform scope. */
export interface Scope {
  storeId?: string | null;
  sellerId?: string | null;
}

export interface TransactionOptions {
  isolationLevel?: 'ReadCommitted' | 'RepeatableRead' | 'Serializable';
  timeout?: number;
}

/**
 * The one way to reach tenant tables: a transaction whose first statement sets the
 * transaction-local settings that the row-level security policies compare with.
 * An unset store matches no tenant row.
 */
export async function inScope<T>(
  prisma: PrismaClient,
  scope: Scope,
  fn: (tx: Transaction) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT set_config('app.store_id', ${scope.storeId ?? ''}, true), set_config('app.seller_id', ${scope.sellerId ?? ''}, true)`;
      return fn(tx);
    },
    { maxWait: 5_000, timeout: options.timeout ?? 10_000, isolationLevel: options.isolationLevel },
  );
}

/** A database handle bound to one request's scope; services use `transaction` for every access. */
export class ScopedDatabase {
  constructor(
    readonly prisma: PrismaClient,
    readonly scope: Scope,
  ) {}

  /** The request's store id, or a thrown error if the request has no store. */
  get storeId(): string | null {
    return this.scope.storeId ?? null;
  }

  transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return inScope(this.prisma, this.scope, fn, options);
  }

  /** The same database acting for another scope (e.g. a seller creating a store, then acting in it). */
  withScope(scope: Scope): ScopedDatabase {
    return new ScopedDatabase(this.prisma, scope);
  }
}
