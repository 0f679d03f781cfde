// A store's default inventory location: where starting stock goes, where reservations look first
// and where returns are received. Catalog (stock changes, locations) and order (reservations,
// restocks) both need it inside their own transactions.
import type { InventoryLocation, RawSql } from '@commerce/database';

const DEFAULT_LOCATION_NAME = 'Default location';

/**
 * Makes the changes of which location is a store's default take turns until their transactions
 * end, so that a store never ends up with two.
 */
export async function lockDefaultLocation(tx: RawSql, storeId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 FROM pg_advisory_xact_lock(hashtextextended(${`default-location:${storeId}`}, 0))`;
}

async function findDefaultLocation(tx: RawSql, storeId: string): Promise<InventoryLocation | null> {
  const [location] = await tx.$queryRaw<InventoryLocation[]>`
    SELECT * FROM "InventoryLocation" WHERE "storeId" = ${storeId}::uuid AND "isDefault"
    ORDER BY "createdAt", "id" LIMIT 1`;
  return location ?? null;
}

/** The store's default location, created on first use; concurrent creators end up with the same one. */
export async function defaultLocation(tx: RawSql, storeId: string): Promise<InventoryLocation> {
  const existing = await findDefaultLocation(tx, storeId);
  if (existing) return existing;
  await lockDefaultLocation(tx, storeId);
  const created = await findDefaultLocation(tx, storeId);
  if (created) return created;
  // ON CONFLICT: a location the staff named "Default location" becomes the default.
  const [location] = await tx.$queryRaw<InventoryLocation[]>`
    INSERT INTO "InventoryLocation" ("storeId", name, "isDefault")
    VALUES (${storeId}::uuid, ${DEFAULT_LOCATION_NAME}, true)
    ON CONFLICT ("storeId", name) DO UPDATE SET "isDefault" = true
    RETURNING *`;
  if (!location) throw new Error('Creating the default inventory location returned no row.');
  return location;
}

/** An active location of the store by key, or null (unknown, another store's, or inactive). */
export async function activeLocation(
  tx: RawSql,
  storeId: string,
  locationId: string,
): Promise<InventoryLocation | null> {
  const [location] = await tx.$queryRaw<InventoryLocation[]>`
    SELECT * FROM "InventoryLocation" WHERE "storeId" = ${storeId}::uuid AND "id" = ${locationId}::uuid AND "active"`;
  return location ?? null;
}
