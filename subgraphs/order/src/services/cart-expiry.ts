// Carts expire after CART_TTL_DAYS without a change. Expired anonymous carts are deleted by
// deleteExpiredCarts, which cartCreate runs now and then (about one call in CLEANUP_ONE_IN) for
// its store, and the cart sweeper (cart-sweeper.ts) on a schedule for every store; expired carts
// of customers are kept, marked EXPIRED, so their history stays with the account.
import { SettingError, type Transaction } from '@commerce/database';

const DAY_MS = 86_400_000;
/** cartCreate cleans up its store's expired carts about once in this many calls. */
export const CLEANUP_ONE_IN = 100;
/** Carts removed per cleanup at most, so that one request never does a long delete. */
const CLEANUP_BATCH = 500;

function ttlDays(): number {
  const configured = process.env.CART_TTL_DAYS;
  if (configured === undefined || configured.trim() === '') return 30;
  const days = Number(configured);
  if (!Number.isFinite(days) || days <= 0) throw new SettingError(`CART_TTL_DAYS must be a positive number of days, not "${configured}".`);
  return days;
}

/** How long a cart lives without a change. */
export const CART_TTL_MS = ttlDays() * DAY_MS;

/** When a cart used now expires. */
export function cartExpiresAt(now: Date = new Date()): Date {
  return new Date(now.getTime() + CART_TTL_MS);
}

/** Whether a cart is past its expiry. */
export function isExpired(cart: { expiresAt: Date }, now: Date = new Date()): boolean {
  return cart.expiresAt.getTime() <= now.getTime();
}

/**
 * Deletes up to a batch of the store's expired anonymous carts (their lines go with them) and
 * marks its expired customer carts EXPIRED. Run it in the store's tenant transaction.
 */
export async function deleteExpiredCarts(tx: Transaction, storeId: string): Promise<{ deleted: number; expired: number }> {
  const deleted = await tx.$executeRaw`
    DELETE FROM "Cart" WHERE "id" IN (
      SELECT "id" FROM "Cart"
      WHERE "storeId" = ${storeId}::uuid AND "customerId" IS NULL AND "expiresAt" <= CURRENT_TIMESTAMP
      LIMIT ${CLEANUP_BATCH}
    )`;
  const expired = await tx.$executeRaw`
    UPDATE "Cart" SET "status" = 'EXPIRED', "updatedAt" = CURRENT_TIMESTAMP
    WHERE "id" IN (
      SELECT "id" FROM "Cart"
      WHERE "storeId" = ${storeId}::uuid AND "status" = 'ACTIVE' AND "customerId" IS NOT NULL AND "expiresAt" <= CURRENT_TIMESTAMP
      LIMIT ${CLEANUP_BATCH}
    )`;
  return { deleted, expired };
}
