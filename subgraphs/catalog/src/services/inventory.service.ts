import type { ProductVariant, Transaction } from '@commerce/database';
import type { SubgraphContext } from '../context.js';

const DEFAULT_LOCATION_NAME = 'Default location';

/** Stock of a variant summed over its locations, as `VariantInventory` shows it. */
export interface InventorySummary {
  available: number;
  committed: number;
  onHand: number;
  tracked: boolean;
}

/** The store's default location, created on first use; concurrent creators end up with the same one. */
export async function defaultLocationId(tx: Transaction, storeId: string): Promise<string> {
  const existing = await tx.inventoryLocation.findFirst({ where: { isDefault: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], select: { id: true } });
  if (existing) return existing.id;
  // Prisma's upsert on a compound unique reads, then inserts, and two creators can both insert;
  // ON CONFLICT makes the second wait for the first and take its row.
  const [location] = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "InventoryLocation" ("storeId", name, "isDefault")
    VALUES (${storeId}::uuid, ${DEFAULT_LOCATION_NAME}, true)
    ON CONFLICT ("storeId", name) DO UPDATE SET "isDefault" = true
    RETURNING id::text AS id`;
  if (!location) throw new Error('Creating the default inventory location returned no row.');
  return location.id;
}

/** Starting stock of a new variant. */
export interface InitialStock {
  variantId: string;
  quantity: number;
  allowOversell: boolean;
}

/** Puts new variants' starting stock at the default location: a level and an "initial" stock movement each. */
export async function recordInitialStock(tx: Transaction, storeId: string, sellerId: string, stock: readonly InitialStock[]): Promise<void> {
  if (stock.length === 0) return;
  const locationId = await defaultLocationId(tx, storeId);
  await tx.inventoryLevel.createMany({
    data: stock.map(({ variantId, quantity, allowOversell }) => ({ storeId, variantId, locationId, available: quantity, allowOversell })),
  });
  await tx.stockMovement.createMany({
    data: stock.map(({ variantId, quantity }) => ({
      storeId,
      variantId,
      locationId,
      delta: quantity,
      availableAfter: quantity,
      reason: 'initial',
      actorType: 'staff',
      actorId: sellerId,
    })),
  });
}

/** A variant's stock over all locations. */
export async function variantInventory(context: SubgraphContext, variant: ProductVariant): Promise<InventorySummary> {
  const levels = await context.loaders.inventoryLevelsByVariant.load(variant.id);
  const available = levels.reduce((sum, level) => sum + level.available, 0);
  const committed = levels.reduce((sum, level) => sum + level.committed, 0);
  return { available, committed, onHand: available + committed, tracked: variant.trackInventory };
}

/** Units available to sell across a product's tracked variants and all locations. */
export async function totalInventory(context: SubgraphContext, productId: string): Promise<number> {
  const variants = await context.loaders.variantsByProduct.load(productId);
  const tracked = variants.filter((variant) => variant.trackInventory);
  const levels = await Promise.all(tracked.map((variant) => context.loaders.inventoryLevelsByVariant.load(variant.id)));
  return levels.flat().reduce((sum, level) => sum + level.available, 0);
}
