// Authorizations nobody captured are voided once they are AUTHORIZATION_EXPIRY_HOURS old (card
// networks release them on their own after some days; the order should say so before). The
// sweep runs beside the cart sweep (cart-sweeper.ts): it asks which stores have such payments
// (app_stores_with_expired_authorizations, its one cross-store read) and voids them in each
// store's tenant transaction, the order locked as every change of it is. Overlapping sweeps of
// several processes void each authorization once: the second finds nothing held.
import { inScope, Prisma, queryOnPool, type Database, type Transaction } from '@commerce/database';
import { periodicJob, type BackgroundJob } from '@commerce/graphql-kit';
import { logger } from '@commerce/observability';
import { lockOrder, paymentsOf, totalHeld } from './order-change.js';
import { releaseAuthorizations } from './payment.service.js';

/** Stores swept per run, and orders per store; the next sweep takes the rest. */
const STORES_PER_SWEEP = 1_000;
const ORDERS_PER_STORE = 200;

/** Voids the expired authorizations of every store that has some; returns how many orders it voided. */
export async function voidExpiredAuthorizations(
  database: Database,
  expiryHours: number,
  now: Date = new Date(),
): Promise<{ stores: number; orders: number }> {
  const cutoff = new Date(now.getTime() - expiryHours * 3_600_000);
  // The look runs on the pool (queryOnPool): a sweep that finds nothing leaves Prisma unloaded.
  const stores = await queryOnPool<{ storeId: string }>(
    database,
    Prisma.sql`SELECT "storeId" FROM app_stores_with_expired_authorizations(${cutoff}::timestamptz, ${STORES_PER_SWEEP}::int)`,
  );
  let orders = 0;
  for (const { storeId } of stores) {
    orders += await inScope(database.prisma, { storeId }, (tx) => voidStoreAuthorizations(tx, storeId, cutoff));
  }
  return { stores: stores.length, orders };
}

async function voidStoreAuthorizations(tx: Transaction, storeId: string, cutoff: Date): Promise<number> {
  const expired = await tx.payment.findMany({
    where: { storeId, status: { in: ['AUTHORIZED', 'PARTIALLY_PAID'] }, createdAt: { lte: cutoff } },
    select: { orderId: true },
    distinct: ['orderId'],
    orderBy: { orderId: 'asc' },
    take: ORDERS_PER_STORE,
  });
  let voided = 0;
  for (const { orderId } of expired) {
    const order = await lockOrder(tx, storeId, orderId);
    if (!order) continue;
    const payments = await paymentsOf(tx, order);
    // Another sweep or a capture got there first.
    if (totalHeld(payments).isZero()) continue;
    await releaseAuthorizations(tx, order, payments, { type: 'SYSTEM', id: null }, 'EXPIRED');
    voided += 1;
  }
  return voided;
}

/** Sweeps every `intervalMinutes` (the cart sweep's interval) until stopped; a sweep that fails is logged and tried again next time. */
export function startAuthorizationSweeper(
  database: Database,
  intervalMinutes: number,
  expiryHours: number,
): BackgroundJob {
  return periodicJob('authorization sweep', intervalMinutes, async () => {
    const sweep = await voidExpiredAuthorizations(database, expiryHours);
    if (sweep.orders > 0)
      logger.info({ orders: sweep.orders, stores: sweep.stores }, 'authorization sweep: expired authorizations voided');
  });
}
