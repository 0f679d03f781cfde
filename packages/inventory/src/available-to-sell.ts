import { Prisma, type SqlRead } from '@commerce/database';

/**
 * Units each variant of the store has to sell over active locations; null for variants without a
 * limit (stock not counted, or overselling allowed). Variants that do not exist are left out.
 * `variantIds` is a list of ids or a uuid[] expression of the statement the read goes into.
 * The levels' subquery names the store, not v."storeId": Citus prunes a table's shards by that
 * table's own conditions, so a correlated "storeId" sends the statement to every shard.
 */
export function availableToSell(
  storeId: string,
  variantIds: readonly string[] | Prisma.Sql,
): SqlRead<Map<string, number | null>> {
  const ids = variantIds instanceof Prisma.Sql ? variantIds : Prisma.sql`${[...new Set(variantIds)]}::uuid[]`;
  return {
    sql: Prisma.sql`(
      SELECT coalesce(jsonb_agg(jsonb_build_array(v."id", CASE WHEN v."trackInventory" AND NOT v."allowOversell" THEN
               COALESCE((SELECT sum(GREATEST(l."available", 0))::int FROM "InventoryLevel" l
                         JOIN "InventoryLocation" loc
                           ON loc."storeId" = l."storeId" AND loc."id" = l."locationId" AND loc."active"
                         WHERE l."storeId" = ${storeId}::uuid AND l."variantId" = v."id"), 0) END)), '[]'::jsonb)
      FROM "ProductVariant" v
      WHERE v."storeId" = ${storeId}::uuid AND v."id" = ANY(${ids}))`,
    decode: (value) => new Map((value ?? []) as [string, number | null][]),
  };
}
