// The statements that add a batch's changes to a store's rollups: one per table, each an upsert
// of every changed row at once (unnest), adding to what the row holds. A product's months are its
// days summed, written beside them.
import { Prisma } from '@commerce/database';
import type { ProductDayDelta, RollupDeltas } from './rollup-deltas.js';
import type { RunSql } from './store-sql.js';

const text = (values: readonly { toFixed(): string }[]): string[] => values.map((value) => value.toFixed());

/** The product-day changes summed per product and month (`day` holds the month's first day). */
function productMonths(days: readonly ProductDayDelta[]): ProductDayDelta[] {
  const months = new Map<string, ProductDayDelta>();
  for (const delta of days) {
    const month = `${delta.day.slice(0, 7)}-01`;
    const key = `${month}|${delta.productId}`;
    const sum = months.get(key) ?? { ...delta, day: month, units: 0, netSales: new Prisma.Decimal(0), ordersCount: 0 };
    sum.units += delta.units;
    sum.netSales = sum.netSales.plus(delta.netSales);
    sum.ordersCount += delta.ordersCount;
    months.set(key, sum);
  }
  return [...months.values()];
}

/** Adds the changes to the store's rollup rows, creating those it has not yet. */
export async function writeDeltas(sql: RunSql, storeId: string, deltas: RollupDeltas): Promise<void> {
  const days = [...deltas.days.entries()];
  if (days.length > 0) {
    const column = <K extends keyof (typeof days)[number][1]>(key: K) => days.map(([, delta]) => delta[key]);
    await sql(Prisma.sql`
      INSERT INTO "AnalyticsDailySales" AS t ("storeId", "day", "grossSales", "discounts", "refunds", "shipping", "tax", "total",
        "ordersCount", "ordersPlaced", "cartsCreated", "checkoutsFailed")
      SELECT ${storeId}::uuid, d.*
      FROM unnest(${days.map(([day]) => day)}::date[], ${text(column('grossSales'))}::numeric[], ${text(column('discounts'))}::numeric[],
        ${text(column('refunds'))}::numeric[], ${text(column('shipping'))}::numeric[], ${text(column('tax'))}::numeric[], ${text(column('total'))}::numeric[],
        ${column('ordersCount')}::int[], ${column('ordersPlaced')}::int[], ${column('cartsCreated')}::int[], ${column('checkoutsFailed')}::int[])
        AS d("day", "grossSales", "discounts", "refunds", "shipping", "tax", "total", "ordersCount", "ordersPlaced", "cartsCreated", "checkoutsFailed")
      ON CONFLICT ("storeId", "day") DO UPDATE SET
        "grossSales" = t."grossSales" + EXCLUDED."grossSales", "discounts" = t."discounts" + EXCLUDED."discounts",
        "refunds" = t."refunds" + EXCLUDED."refunds", "shipping" = t."shipping" + EXCLUDED."shipping",
        "tax" = t."tax" + EXCLUDED."tax", "total" = t."total" + EXCLUDED."total",
        "ordersCount" = t."ordersCount" + EXCLUDED."ordersCount", "ordersPlaced" = t."ordersPlaced" + EXCLUDED."ordersPlaced",
        "cartsCreated" = t."cartsCreated" + EXCLUDED."cartsCreated", "checkoutsFailed" = t."checkoutsFailed" + EXCLUDED."checkoutsFailed"`);
  }
  const products = [...deltas.productDays.values()];
  if (products.length > 0) {
    await sql(Prisma.sql`
      INSERT INTO "AnalyticsProductDaily" AS t ("storeId", "day", "productId", "units", "netSales", "ordersCount")
      SELECT ${storeId}::uuid, d.*
      FROM unnest(${products.map((delta) => delta.day)}::date[], ${products.map((delta) => delta.productId)}::uuid[],
        ${products.map((delta) => delta.units)}::int[], ${text(products.map((delta) => delta.netSales))}::numeric[],
        ${products.map((delta) => delta.ordersCount)}::int[]) AS d("day", "productId", "units", "netSales", "ordersCount")
      ON CONFLICT ("storeId", "day", "productId") DO UPDATE SET
        "units" = t."units" + EXCLUDED."units", "netSales" = t."netSales" + EXCLUDED."netSales",
        "ordersCount" = t."ordersCount" + EXCLUDED."ordersCount"`);
  }
  const months = productMonths(products);
  if (months.length > 0) {
    await sql(Prisma.sql`
      INSERT INTO "AnalyticsProductMonthly" AS t ("storeId", "month", "productId", "units", "netSales", "ordersCount")
      SELECT ${storeId}::uuid, d.*
      FROM unnest(${months.map((delta) => delta.day)}::date[], ${months.map((delta) => delta.productId)}::uuid[],
        ${months.map((delta) => delta.units)}::int[], ${text(months.map((delta) => delta.netSales))}::numeric[],
        ${months.map((delta) => delta.ordersCount)}::int[]) AS d("month", "productId", "units", "netSales", "ordersCount")
      ON CONFLICT ("storeId", "month", "productId") DO UPDATE SET
        "units" = t."units" + EXCLUDED."units", "netSales" = t."netSales" + EXCLUDED."netSales",
        "ordersCount" = t."ordersCount" + EXCLUDED."ordersCount"`);
  }
  const buyers = [...deltas.buyers.values()];
  if (buyers.length > 0) {
    await sql(Prisma.sql`
      INSERT INTO "AnalyticsBuyer" AS t ("storeId", "buyerKey", "customerId", "firstOrderAt", "lastOrderAt", "ordersCount", "netSales")
      SELECT ${storeId}::uuid, d.*
      FROM unnest(${buyers.map((delta) => delta.buyerKey)}::text[], ${buyers.map((delta) => delta.customerId)}::uuid[],
        ${buyers.map((delta) => delta.firstOrderAt.toISOString())}::timestamptz[], ${buyers.map((delta) => delta.lastOrderAt.toISOString())}::timestamptz[],
        ${buyers.map((delta) => delta.ordersCount)}::int[], ${text(buyers.map((delta) => delta.netSales))}::numeric[])
        AS d("buyerKey", "customerId", "firstOrderAt", "lastOrderAt", "ordersCount", "netSales")
      ON CONFLICT ("storeId", "buyerKey") DO UPDATE SET
        "firstOrderAt" = least(t."firstOrderAt", EXCLUDED."firstOrderAt"), "lastOrderAt" = greatest(t."lastOrderAt", EXCLUDED."lastOrderAt"),
        "ordersCount" = t."ordersCount" + EXCLUDED."ordersCount", "netSales" = t."netSales" + EXCLUDED."netSales"`);
  }
  const buyerDays = [...deltas.buyerDays.values()];
  if (buyerDays.length > 0) {
    // "firstDay" is the day itself until the refresh below sets the buyer's.
    await sql(Prisma.sql`
      INSERT INTO "AnalyticsBuyerDaily" AS t ("storeId", "day", "buyerKey", "ordersCount", "firstDay")
      SELECT ${storeId}::uuid, d."day", d."buyerKey", d."ordersCount", d."day"
      FROM unnest(${buyerDays.map((delta) => delta.day)}::date[], ${buyerDays.map((delta) => delta.buyerKey)}::text[],
        ${buyerDays.map((delta) => delta.ordersCount)}::int[]) AS d("day", "buyerKey", "ordersCount")
      ON CONFLICT ("storeId", "day", "buyerKey") DO UPDATE SET "ordersCount" = t."ordersCount" + EXCLUDED."ordersCount"`);
  }
  if (buyers.length > 0)
    await refreshBuyerDays(
      sql,
      storeId,
      buyers.map((delta) => delta.buyerKey),
    );
}

/**
 * Brings the day rows of the buyers a batch changed in line with them: a day whose orders were all
 * cancelled goes, and every other day gets its previous day with an order, the buyer's first day and
 * lifetime figures (a buyer has a handful of days; a span's buyer figures read only these rows).
 * The UPDATE reads the rows as they were before the DELETE beside it, so it skips those itself.
 */
export async function refreshBuyerDays(sql: RunSql, storeId: string, buyerKeys: readonly string[]): Promise<void> {
  await sql(Prisma.sql`
    WITH gone AS (
      DELETE FROM "AnalyticsBuyerDaily" g
      WHERE g."storeId" = ${storeId}::uuid AND g."buyerKey" = ANY(${buyerKeys}::text[]) AND g."ordersCount" <= 0
    )
    UPDATE "AnalyticsBuyerDaily" AS t
    SET "previousDay" = r."previousDay", "firstDay" = r."firstDay", "lifetimeOrders" = r."lifetimeOrders",
        "lifetimeNetSales" = r."lifetimeNetSales"
    FROM (
      SELECT d."day", d."buyerKey", lag(d."day") OVER (PARTITION BY d."buyerKey" ORDER BY d."day") AS "previousDay",
             (b."firstOrderAt" AT TIME ZONE (SELECT s."timezone" FROM "Store" s WHERE s."id" = ${storeId}::uuid))::date AS "firstDay",
             b."ordersCount" AS "lifetimeOrders", b."netSales" AS "lifetimeNetSales"
      FROM "AnalyticsBuyerDaily" d
      JOIN "AnalyticsBuyer" b ON b."storeId" = d."storeId" AND b."buyerKey" = d."buyerKey"
      WHERE d."storeId" = ${storeId}::uuid AND d."buyerKey" = ANY(${buyerKeys}::text[]) AND d."ordersCount" > 0
        AND b."storeId" = ${storeId}::uuid
    ) r
    WHERE t."storeId" = ${storeId}::uuid AND t."day" = r."day" AND t."buyerKey" = r."buyerKey"`);
}
