// Expired carts of every store, cleaned up on a schedule: cartCreate cleans up its own store now
// and then (cart-expiry.ts), but a store whose buyers went quiet would keep its expired carts.
// Every CART_SWEEP_INTERVAL_MINUTES each order subgraph process asks which stores have expired
// carts left (the one cross-store read the app role may make, app_stores_with_expired_carts) and
// cleans them up in each store's own tenant transaction, a batch per store and sweep. Sweeps of
// several processes may overlap; the cleanup is idempotent.
import { inScope, Prisma, queryOnPool, type Database } from '@commerce/database';
import { periodicJob, type BackgroundJob } from '@commerce/graphql-kit';
import { logger } from '@commerce/observability';
import { deleteExpiredCarts } from './cart-expiry.js';

/** Stores cleaned up per sweep at most; the next sweep takes the rest. */
const STORES_PER_SWEEP = 1_000;

/** What a sweep did. */
export interface Sweep {
  stores: number;
  deleted: number;
  expired: number;
}

/** Cleans up the expired carts of every store that has some: anonymous ones deleted, customers' ones marked EXPIRED. */
export async function sweepExpiredCarts(database: Database): Promise<Sweep> {
  // The look runs on the pool (queryOnPool): a sweep that finds nothing leaves Prisma unloaded.
  const stores = await queryOnPool<{ storeId: string }>(
    database,
    Prisma.sql`SELECT "storeId" FROM app_stores_with_expired_carts(${STORES_PER_SWEEP}::int)`,
  );
  const sweep: Sweep = { stores: stores.length, deleted: 0, expired: 0 };
  for (const { storeId } of stores) {
    const done = await inScope(database.prisma, { storeId }, (tx) => deleteExpiredCarts(tx, storeId));
    sweep.deleted += done.deleted;
    sweep.expired += done.expired;
  }
  return sweep;
}

/** Sweeps every CART_SWEEP_INTERVAL_MINUTES until stopped; a sweep that fails is logged and tried again next time. */
export function startCartSweeper(database: Database, intervalMinutes: number): BackgroundJob {
  return periodicJob('cart sweep', intervalMinutes, async () => {
    const sweep = await sweepExpiredCarts(database);
    if (sweep.deleted + sweep.expired > 0)
      logger.info(
        { deleted: sweep.deleted, expired: sweep.expired, stores: sweep.stores },
        'cart sweep: expired anonymous carts deleted, customer carts marked EXPIRED',
      );
  });
}
