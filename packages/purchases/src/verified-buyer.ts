// What the order domain says about who bought what, for the domains that need it inside their own
// transaction (the catalog marks a review as a verified buyer's, and lets buyers answer
// questions). The order domain owns the rule; it lives here so that no subgraph imports another.
import type { RawSql } from '@commerce/database';

/**
 * Whether the customer has bought the product in the store: an order of theirs that was paid
 * (PAID or PARTIALLY_REFUNDED), is not cancelled, and has a line of the product not wholly refunded.
 * Reads the store's orders in the caller's tenant transaction (one statement).
 */
export async function hasBoughtProduct(
  tx: RawSql,
  storeId: string,
  customerId: string,
  productId: string,
): Promise<boolean> {
  const rows = await tx.$queryRaw<{ bought: boolean }[]>`
    SELECT EXISTS (
      SELECT 1 FROM "Order" o
      JOIN "OrderLine" l ON l."storeId" = o."storeId" AND l."orderId" = o."id"
      WHERE o."storeId" = ${storeId}::uuid AND o."customerId" = ${customerId}::uuid
        AND l."storeId" = ${storeId}::uuid AND l."productId" = ${productId}::uuid
        AND o."status" <> 'CANCELLED' AND o."paymentStatus" IN ('PAID', 'PARTIALLY_REFUNDED')
        AND l."quantity" > l."refundedQuantity"
    ) AS bought`;
  return rows[0]?.bought ?? false;
}
