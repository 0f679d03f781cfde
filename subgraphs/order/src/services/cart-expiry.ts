// Carts expire after CART_TTL_DAYS without a change. Expired anonymous carts are deleted by
// deleteExpiredCarts, which cartCreate runs now and then (about one call in CLEANUP_ONE_IN) for
// its store, and the cart sweeper (cart-sweeper.ts) on a schedule for every store; expired carts
// of customers are kept, marked EXPIRED, so their history stays with the account.
import type { Transaction } from '@commerce/database';

/** cartCreate cleans up its store's expired carts about once in this many calls. */
export const CLEANUP_ONE_IN = 100;
/** Carts removed per cleanup at most, so that one request never does a long delete. */
const CLEANUP_BATCH = 500;

/** When a cart used now expires, given how long carts live without a change (CART_TTL_DAYS). */
export function cartExpiresAt(ttlMs: number, now: Date = new Date()): Date {
  return new Date(now.getTime() + ttlMs);
}

/** Whether a cart is past its expiry. */
export function isExpired(cart: { expiresAt: Date }, now: Date = new Date()): boolean {
  return cart.expiresAt.getTime() <= now.getTime();
}

/**
 * Deletes up to a batch of the store's expired anonymous carts (their lines go with them) and
 * marks its expired customer carts EXPIRED. Run it in the store's tenant transaction.
 */
export async function deleteExpiredCarts(
  tx: Transaction,
  storeId: string,
): Promise<{ deleted: number; expired: number }> {
  const deleted = await tx.$executeRaw`
    DELETE FROM "Cart" WHERE "storeId" = ${storeId}::uuid AND "id" IN (
      SELECT "id" FROM "Cart"
      WHERE "storeId" = ${storeId}::uuid AND "customerId" IS NULL AND "expiresAt" <= CURRENT_TIMESTAMP
      LIMIT ${CLEANUP_BATCH}
    )`;
  const expired = await tx.$executeRaw`
    UPDATE "Cart" SET "status" = 'EXPIRED', "updatedAt" = CURRENT_TIMESTAMP
    WHERE "storeId" = ${storeId}::uuid AND "id" IN (
      SELECT "id" FROM "Cart"
      WHERE "storeId" = ${storeId}::uuid AND "status" = 'ACTIVE' AND "customerId" IS NOT NULL AND "expiresAt" <= CURRENT_TIMESTAMP
      LIMIT ${CLEANUP_BATCH}
    )`;
  return { deleted, expired };
}
