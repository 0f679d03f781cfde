// A store's stock as it stands: how many variants are low or out of stock, and what the units
// available are worth at their prices. The catalog owns the stock, so it answers this for the
// analytics dashboard through the graph (InventorySummary) rather than analytics reading its tables.
import { Prisma } from '@commerce/database';
import { requirePermission, requireStore, type Decimal, type RequestContext } from '@commerce/graphql-kit';

export interface InventoryFigures {
  lowStock: number;
  outOfStock: number;
  stockValue: Decimal;
  currencyCode: string;
}

/**
 * The store's stock figures, in one statement (staff who may read products): the levels summed per
 * variant once and hash-joined (not a lateral probe per variant), the store's threshold read once.
 */
export async function inventoryFigures(context: RequestContext, storeId: string): Promise<InventoryFigures> {
  await requirePermission(context, 'READ_PRODUCTS');
  const { currencyCode } = requireStore(context);
  const [row] = await context.db.transaction(
    (tx) => tx.$queryRaw<Omit<InventoryFigures, 'currencyCode'>[]>`
      SELECT count(*) FILTER (WHERE COALESCE(stock."available", 0) <= COALESCE(v."lowStockThreshold", (SELECT s."lowStockThreshold" FROM "Store" s WHERE s."id" = ${storeId}::uuid)))::int AS "lowStock",
             count(*) FILTER (WHERE COALESCE(stock."available", 0) <= 0)::int AS "outOfStock",
             COALESCE(sum(GREATEST(COALESCE(stock."available", 0), 0) * v."price"), 0) AS "stockValue"
      FROM "ProductVariant" v
      JOIN "Product" p ON p."storeId" = v."storeId" AND p."id" = v."productId"
      LEFT JOIN (
        SELECT l."storeId", l."variantId", sum(l."available")::int AS "available"
        FROM "InventoryLevel" l WHERE l."storeId" = ${storeId}::uuid
        GROUP BY l."storeId", l."variantId"
      ) stock ON stock."storeId" = v."storeId" AND stock."variantId" = v."id"
      WHERE v."storeId" = ${storeId}::uuid AND v."trackInventory" AND p."status" <> 'ARCHIVED'`,
  );
  return {
    lowStock: row?.lowStock ?? 0,
    outOfStock: row?.outOfStock ?? 0,
    stockValue: row?.stockValue ?? new Prisma.Decimal(0),
    currencyCode,
  };
}
