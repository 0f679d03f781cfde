// Rebuilding a store's rollups from its orders and refunds: after a change to how figures are
// counted, for stores whose events are gone (pruned before the consumer caught up), or when an
// event lacks the figures. It runs in one tenant transaction that holds the store's cursor and a
// share lock on its event counter: transactions that write events wait for it, and those that
// committed before are in what it reads, so the cursor it sets is exactly the events it covers.
// Carts created and failed checkouts leave no rows but events, so their counts are kept.
// Orders placed in a presentment currency count by their amounts in the store's currency.
import { Prisma } from '@commerce/database';
import { lockCursor } from './rollup-cursor.js';
import type { RunSql } from './store-sql.js';

const ORDER_BUYER = Prisma.sql`CASE WHEN o."customerId" IS NOT NULL THEN 'customer:' || o."customerId"::text ELSE 'email:' || lower(btrim(o."email")) END`;

/** Recomputes the store's rollups in the caller's transaction; returns the sequence they are as of. */
export async function rebuildInTransaction(sql: RunSql, storeId: string): Promise<bigint> {
  await lockCursor(sql, storeId);
  const [counter] = await sql<{ lastSequence: string; zone: string }>(Prisma.sql`
    SELECT c."lastEventSequence"::text AS "lastSequence", (SELECT s."timezone" FROM "Store" s WHERE s."id" = ${storeId}::uuid) AS "zone"
    FROM "StoreCounter" c WHERE c."storeId" = ${storeId}::uuid
    FOR SHARE OF c`);
  if (!counter) throw new Error(`Store ${storeId} has no counter row.`);
  const zone = counter.zone;
  const placedDay = Prisma.sql`(o."placedAt" AT TIME ZONE ${zone})::date`;

  await sql(Prisma.sql`
    UPDATE "AnalyticsDailySales" SET "grossSales" = 0, "discounts" = 0, "refunds" = 0, "shipping" = 0, "tax" = 0, "total" = 0,
           "ordersCount" = 0, "ordersPlaced" = 0
    WHERE "storeId" = ${storeId}::uuid`);
  await sql(Prisma.sql`
    INSERT INTO "AnalyticsDailySales" ("storeId", "day", "grossSales", "discounts", "refunds", "shipping", "tax", "total", "ordersCount", "ordersPlaced")
    SELECT o."storeId", ${placedDay},
           coalesce(sum(coalesce(o."storeSubtotal", o."subtotal")) FILTER (WHERE o."status" <> 'CANCELLED'), 0),
           coalesce(sum(coalesce(o."storeDiscountTotal", o."discountTotal")) FILTER (WHERE o."status" <> 'CANCELLED'), 0),
           coalesce(sum(coalesce(o."storeTotalRefunded", o."totalRefunded")) FILTER (WHERE o."status" <> 'CANCELLED'), 0),
           coalesce(sum(coalesce(o."storeShippingTotal", o."shippingTotal")) FILTER (WHERE o."status" <> 'CANCELLED'), 0),
           coalesce(sum(coalesce(o."storeTaxTotal", o."taxTotal")) FILTER (WHERE o."status" <> 'CANCELLED'), 0),
           coalesce(sum(coalesce(o."storeTotal", o."total")) FILTER (WHERE o."status" <> 'CANCELLED'), 0),
           count(*) FILTER (WHERE o."status" <> 'CANCELLED'), count(*)
    FROM "Order" o WHERE o."storeId" = ${storeId}::uuid
    GROUP BY o."storeId", 2
    ON CONFLICT ("storeId", "day") DO UPDATE SET
      "grossSales" = EXCLUDED."grossSales", "discounts" = EXCLUDED."discounts", "refunds" = EXCLUDED."refunds",
      "shipping" = EXCLUDED."shipping", "tax" = EXCLUDED."tax", "total" = EXCLUDED."total",
      "ordersCount" = EXCLUDED."ordersCount", "ordersPlaced" = EXCLUDED."ordersPlaced"`);

  // Each INSERT … SELECT returns its rows (counted here): Citus writes one without RETURNING or ON
  // CONFLICT into the shard with COPY, which row-level security refuses. Rows by day go in in day
  // order, as the consumer appends them: a span's rows then sit on a span's pages, not on all.
  await sql(Prisma.sql`DELETE FROM "AnalyticsProductDaily" WHERE "storeId" = ${storeId}::uuid`);
  await sql(Prisma.sql`
    WITH inserted AS (
      INSERT INTO "AnalyticsProductDaily" ("storeId", "day", "productId", "units", "netSales", "ordersCount")
      SELECT l."storeId", ${placedDay}, l."productId",
             sum(l."quantity" - l."refundedQuantity"),
             sum(coalesce(l."storeTotalPrice", l."totalPrice") - coalesce(l."storeDiscountTotal", l."discountTotal")
                 - round(coalesce(r."amount", 0) / coalesce(o."exchangeRate", 1), 4)),
             count(DISTINCT o."id")
      FROM "OrderLine" l
      JOIN "Order" o ON o."storeId" = l."storeId" AND o."id" = l."orderId"
      LEFT JOIN (
        SELECT rl."storeId", rl."orderLineId", sum(rl."amount") AS "amount"
        FROM "RefundLine" rl WHERE rl."storeId" = ${storeId}::uuid
        GROUP BY rl."storeId", rl."orderLineId"
      ) r ON r."storeId" = l."storeId" AND r."orderLineId" = l."id"
      WHERE l."storeId" = ${storeId}::uuid AND l."productId" IS NOT NULL AND o."status" <> 'CANCELLED'
      GROUP BY l."storeId", 2, l."productId"
      ORDER BY 2
      RETURNING 1
    )
    SELECT count(*) FROM inserted`);

  await sql(Prisma.sql`DELETE FROM "AnalyticsProductMonthly" WHERE "storeId" = ${storeId}::uuid`);
  await sql(Prisma.sql`
    WITH inserted AS (
      INSERT INTO "AnalyticsProductMonthly" ("storeId", "month", "productId", "units", "netSales", "ordersCount")
      SELECT p."storeId", date_trunc('month', p."day"::timestamp)::date, p."productId", sum(p."units"), sum(p."netSales"), sum(p."ordersCount")
      FROM "AnalyticsProductDaily" p WHERE p."storeId" = ${storeId}::uuid
      GROUP BY p."storeId", 2, p."productId"
      ORDER BY 2
      RETURNING 1
    )
    SELECT count(*) FROM inserted`);

  await sql(Prisma.sql`DELETE FROM "AnalyticsBuyer" WHERE "storeId" = ${storeId}::uuid`);
  await sql(Prisma.sql`
    WITH inserted AS (
      INSERT INTO "AnalyticsBuyer" ("storeId", "buyerKey", "customerId", "firstOrderAt", "lastOrderAt", "ordersCount", "netSales")
      SELECT o."storeId", ${ORDER_BUYER}, (array_agg(o."customerId"))[1], min(o."placedAt"), max(o."placedAt"),
             count(*) FILTER (WHERE o."status" <> 'CANCELLED'),
             coalesce(sum(coalesce(o."storeSubtotal", o."subtotal") - coalesce(o."storeDiscountTotal", o."discountTotal")
                          - coalesce(o."storeTotalRefunded", o."totalRefunded")) FILTER (WHERE o."status" <> 'CANCELLED'), 0)
      FROM "Order" o WHERE o."storeId" = ${storeId}::uuid
      GROUP BY o."storeId", 2
      RETURNING 1
    )
    SELECT count(*) FROM inserted`);

  await sql(Prisma.sql`DELETE FROM "AnalyticsBuyerDaily" WHERE "storeId" = ${storeId}::uuid`);
  await sql(Prisma.sql`
    WITH inserted AS (
      INSERT INTO "AnalyticsBuyerDaily" ("storeId", "day", "buyerKey", "ordersCount", "previousDay", "firstDay",
        "lifetimeOrders", "lifetimeNetSales")
      SELECT x."storeId", x."day", x."buyerKey", x."ordersCount",
             lag(x."day") OVER (PARTITION BY x."buyerKey" ORDER BY x."day"),
             (b."firstOrderAt" AT TIME ZONE ${zone})::date, b."ordersCount", b."netSales"
      FROM (
        SELECT o."storeId", ${placedDay} AS "day", ${ORDER_BUYER} AS "buyerKey", count(*)::int AS "ordersCount"
        FROM "Order" o WHERE o."storeId" = ${storeId}::uuid AND o."status" <> 'CANCELLED'
        GROUP BY o."storeId", 2, 3
      ) x
      JOIN "AnalyticsBuyer" b ON b."storeId" = x."storeId" AND b."buyerKey" = x."buyerKey"
      WHERE b."storeId" = ${storeId}::uuid
      ORDER BY x."day"
      RETURNING 1
    )
    SELECT count(*) FROM inserted`);

  await sql(Prisma.sql`
    UPDATE "AnalyticsCursor" SET "lastSequence" = ${counter.lastSequence}::bigint, "updatedAt" = CURRENT_TIMESTAMP,
           "lastEventAt" = coalesce(
             (SELECT e."createdAt" FROM "OutboxEvent" e WHERE e."storeId" = ${storeId}::uuid AND e."sequence" = ${counter.lastSequence}::bigint),
             CURRENT_TIMESTAMP)
    WHERE "storeId" = ${storeId}::uuid`);
  return BigInt(counter.lastSequence);
}
