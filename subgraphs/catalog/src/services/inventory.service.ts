import {
  Prisma,
  type InventoryLevel,
  type ProductVariant,
  type StockMovement,
  type Transaction,
} from '@commerce/database';
import {
  andThen,
  inCurrency,
  prismaConnection,
  prismaSortKey,
  requirePermission,
  requireStore,
  sqlConnection,
  type Connection,
  type Eventually,
  type PageArgs,
  type SqlSortKey,
  type StoreActor,
} from '@commerce/graphql-kit';
import { defaultLocation } from '@commerce/inventory';
import type { SubgraphContext } from '../context.js';
import type { ProductVariantParent } from '../mappers.js';

/** Stock of a variant summed over its locations, as `VariantInventory` shows it. */
export interface InventorySummary {
  available: number;
  committed: number;
  onHand: number;
  tracked: boolean;
}

/** Starting stock of a new variant. */
export interface InitialStock {
  variantId: string;
  quantity: number;
  allowOversell: boolean;
}

/** How a stock movement names who made it: a staff member's seller or an app. */
export function stockMovementActor(actor: StoreActor): { actorType: 'staff' | 'app'; actorId: string } {
  return actor.kind === 'app'
    ? { actorType: 'app', actorId: actor.appId }
    : { actorType: 'staff', actorId: actor.sellerId };
}

/** Puts new variants' starting stock at the default location: a level and an "initial" stock movement each. */
export async function recordInitialStock(
  tx: Transaction,
  storeId: string,
  actor: StoreActor,
  stock: readonly InitialStock[],
): Promise<void> {
  if (stock.length === 0) return;
  const locationId = (await defaultLocation(tx, storeId)).id;
  await tx.inventoryLevel.createMany({
    data: stock.map(({ variantId, quantity, allowOversell }) => ({
      storeId,
      variantId,
      locationId,
      available: quantity,
      allowOversell,
    })),
  });
  await tx.stockMovement.createMany({
    data: stock.map(({ variantId, quantity }) => ({
      storeId,
      variantId,
      locationId,
      delta: quantity,
      availableAfter: quantity,
      reason: 'initial',
      ...stockMovementActor(actor),
    })),
  });
}

/** A variant's stock over all locations. */
export function variantInventory(context: SubgraphContext, variant: ProductVariant): Eventually<InventorySummary> {
  return andThen(context.loaders.inventoryLevelsByVariant.now(variant.id), (levels) => {
    const available = levels.reduce((sum, level) => sum + level.available, 0);
    const committed = levels.reduce((sum, level) => sum + level.committed, 0);
    return { available, committed, onHand: available + committed, tracked: variant.trackInventory };
  });
}

/** Units available to sell across a product's tracked variants and all locations. */
export async function totalInventory(context: SubgraphContext, productId: string): Promise<number> {
  const variants = await context.loaders.variantsByProduct.load(productId);
  const tracked = variants.filter((variant) => variant.trackInventory);
  const levels = await Promise.all(tracked.map((variant) => context.loaders.inventoryLevelsByVariant.load(variant.id)));
  return levels.flat().reduce((sum, level) => sum + level.available, 0);
}

/** Whether a tracked variant's units available are at or below its threshold (its own, else the store's). */
export async function isLowStock(context: SubgraphContext, variant: ProductVariant): Promise<boolean> {
  if (!variant.trackInventory) return false;
  const [{ available }, threshold] = await Promise.all([
    variantInventory(context, variant),
    variant.lowStockThreshold ?? context.loaders.storeLowStockThreshold.load(variant.storeId),
  ]);
  return available <= threshold;
}

/** A variant of the low-stock list, with the units it has available. */
type LowStockVariant = ProductVariantParent & { stockAvailable: number };

const VARIANT_COLUMNS = Prisma.raw(
  Object.values(Prisma.ProductVariantScalarFieldEnum)
    .map((column) => `v."${column}"`)
    .join(', '),
);

const LOW_STOCK_ORDER: SqlSortKey<LowStockVariant> = {
  field: 'available',
  kind: 'number',
  value: (variant) => variant.stockAvailable,
  sql: { value: Prisma.sql`stock."available"`, id: Prisma.sql`v."id"` },
};

/**
 * The store's tracked variants at or below their low-stock threshold (the variant's own, else the
 * store's), fewest units available first; variants of archived products are left out. Staff who
 * may read products.
 */
export async function listLowStockVariants(
  context: SubgraphContext,
  storeId: string,
  args: PageArgs,
): Promise<Connection<ProductVariantParent>> {
  await requirePermission(context, 'READ_PRODUCTS');
  const currencyCode = requireStore(context).currencyCode;
  // The stock subquery names the store, not v."storeId": Citus prunes a table's shards by that
  // table's own conditions, so a correlated "storeId" sends the statement to every shard.
  const from = Prisma.sql`
    "ProductVariant" v
    JOIN "Product" p ON p."storeId" = v."storeId" AND p."id" = v."productId"
    CROSS JOIN LATERAL (
      SELECT COALESCE(sum(l."available"), 0)::int AS "available"
      FROM "InventoryLevel" l WHERE l."storeId" = ${storeId}::uuid AND l."variantId" = v."id"
    ) stock`;
  const where = Prisma.sql`
    v."storeId" = ${storeId}::uuid AND v."trackInventory" AND p."status" <> 'ARCHIVED'
    AND stock."available" <= COALESCE(v."lowStockThreshold", (SELECT s."lowStockThreshold" FROM "Store" s WHERE s."id" = v."storeId"))`;
  return sqlConnection({
    args,
    sort: LOW_STOCK_ORDER,
    fetch: (keyset) =>
      context.db
        .transaction(
          (tx) => tx.$queryRaw<(ProductVariant & { stockAvailable: number })[]>`
            SELECT ${VARIANT_COLUMNS}, stock."available" AS "stockAvailable"
            FROM ${from} WHERE ${where} AND ${keyset.where}
            ORDER BY ${keyset.orderBy} LIMIT ${keyset.limit}`,
        )
        .then((rows) => rows.map((row) => inCurrency(row, currencyCode))),
    count: async () => {
      const [row] = await context.db.transaction(
        (tx) => tx.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM ${from} WHERE ${where}`,
      );
      return row?.count ?? 0;
    },
  });
}

/** A variant's stock at each location (staff who may read products). */
export async function inventoryLevelsOf(context: SubgraphContext, variant: ProductVariant): Promise<InventoryLevel[]> {
  await requirePermission(context, 'READ_PRODUCTS');
  return context.loaders.inventoryLevelsByVariant.load(variant.id);
}

const MOVEMENT_ORDER = prismaSortKey({
  field: 'createdAt',
  kind: 'date',
  descending: true,
  value: (movement: StockMovement) => movement.createdAt,
});

/** A page of a variant's stock movements, newest first (staff who may read products). */
export async function listStockMovements(
  context: SubgraphContext,
  variant: ProductVariant,
  args: PageArgs,
): Promise<Connection<StockMovement>> {
  await requirePermission(context, 'READ_PRODUCTS');
  const where: Prisma.StockMovementWhereInput = { storeId: variant.storeId, variantId: variant.id };
  return prismaConnection({
    args,
    sort: MOVEMENT_ORDER,
    fetch: (page) => context.db.transaction((tx) => tx.stockMovement.findMany(page.findManyArgs(where))),
    count: () => context.db.transaction((tx) => tx.stockMovement.count({ where })),
  });
}
