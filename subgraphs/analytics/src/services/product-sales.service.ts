// Products' sales in a span, from the product-month and product-day rollups: the top of the span in
// one statement, and the products an entity query names in one statement per span (loaders.ts).
import { Prisma } from '@commerce/database';
import type { Decimal } from '@commerce/graphql-kit';
import type { ProductSalesSortKey } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import type { ProductSalesParent } from '../mappers.js';
import { boundsSql, FIRST_DAY, LAST_DAY, type AnalyticsSpan, type DateRange } from './analytics-span.js';

const FROM_MONTH = Prisma.sql`(SELECT whole.from_month FROM whole)`;
const TO_MONTH = Prisma.sql`(SELECT whole.to_month FROM whole)`;
// Each bound a value of its own: an expression over them (`+ 1`, least) is not leakproof, and under
// row-level security the day range then became a filter of a scan of every day of the store (1.1 s).
const HEAD_END = Prisma.sql`(SELECT whole.head_end FROM whole)`;
const TAIL_START = Prisma.sql`(SELECT whole.tail_start FROM whole)`;

const MAX_FIRST = 100;

interface ProductRow {
  productId: string;
  unitsSold: number;
  netSales: Decimal;
  ordersCount: number;
}

/** How each ranking orders products, in SQL and in code (the same keys, ties broken by id). */
const RANKINGS: Readonly<Record<ProductSalesSortKey, Prisma.Sql>> = {
  NET_SALES: Prisma.sql`sums."netSales" DESC, sums."unitsSold" DESC, sums."productId"`,
  UNITS: Prisma.sql`sums."unitsSold" DESC, sums."netSales" DESC, sums."productId"`,
};

/**
 * Products' sums over the span: its whole store-local months from the month rollup, the days of the
 * partial months at its ends from the day rollup, so a year reads a dozen rows per product, not 365.
 * `whole` is the span's whole months, [from_month, to_month): from the first month start on or after
 * its first day to the month start after its last day (none when from_month >= to_month); the days
 * before from_month and those from to_month on come from the days.
 */
function sumsSql(storeId: string, range: DateRange, products: (alias: string) => Prisma.Sql): Prisma.Sql {
  const [monthProducts, headProducts, tailProducts] = ['m', 'head', 'tail'].map(products);
  return Prisma.sql`
    WITH ${boundsSql(storeId, range)},
    whole AS (
      SELECT (date_trunc('month', (first_day - 1)::timestamp) + interval '1 month')::date AS from_month,
             date_trunc('month', (last_day + 1)::timestamp)::date AS to_month,
             least((date_trunc('month', (first_day - 1)::timestamp) + interval '1 month')::date, last_day + 1) AS head_end,
             greatest(date_trunc('month', (last_day + 1)::timestamp)::date,
                      (date_trunc('month', (first_day - 1)::timestamp) + interval '1 month')::date, first_day) AS tail_start
      FROM bounds
    ),
    parts AS (
      SELECT m."productId", m."units", m."netSales", m."ordersCount"
      FROM "AnalyticsProductMonthly" m
      WHERE m."storeId" = ${storeId}::uuid AND m."month" >= ${FROM_MONTH} AND m."month" < ${TO_MONTH} ${monthProducts}
      UNION ALL
      SELECT head."productId", head."units", head."netSales", head."ordersCount"
      FROM "AnalyticsProductDaily" head
      WHERE head."storeId" = ${storeId}::uuid AND head."day" >= ${FIRST_DAY} AND head."day" < ${HEAD_END} ${headProducts}
      UNION ALL
      SELECT tail."productId", tail."units", tail."netSales", tail."ordersCount"
      FROM "AnalyticsProductDaily" tail
      WHERE tail."storeId" = ${storeId}::uuid AND tail."day" >= ${TAIL_START} AND tail."day" <= ${LAST_DAY} ${tailProducts}
    )
    SELECT part."productId", sum(part."units")::int AS "unitsSold", sum(part."netSales") AS "netSales",
      sum(part."ordersCount")::int AS "ordersCount"
    FROM parts part
    GROUP BY part."productId"`;
}

/** A ranking a request asks of a span: its sort key and how many products. */
export interface TopProductsRequest {
  first: number;
  sortKey: ProductSalesSortKey;
}

/**
 * The span's best-selling products for each request (at most 100 each), products without orders
 * left out: one statement sums the span once and ranks it every way asked (a dashboard asks for the
 * top by net sales and by units), so both rankings cost one sum, not two.
 */
export async function topProducts(
  context: SubgraphContext,
  span: AnalyticsSpan,
  requests: readonly TopProductsRequest[],
): Promise<ProductSalesParent[][]> {
  const limits = new Map<ProductSalesSortKey, number>();
  for (const { first, sortKey } of requests) {
    limits.set(sortKey, Math.max(limits.get(sortKey) ?? 0, Math.min(Math.max(first, 0), MAX_FIRST)));
  }
  const wanted = [...limits].filter(([, limit]) => limit > 0);
  if (wanted.length === 0) return requests.map(() => []);
  const ranks = wanted.map(([sortKey]) => Prisma.sql`row_number() OVER (ORDER BY ${RANKINGS[sortKey]})::int`);
  const rows = await context.db.transaction(
    (tx) => tx.$queryRaw<(ProductRow & { ranks: number[] })[]>`
      SELECT * FROM (
        SELECT sums.*, ARRAY[${Prisma.join(ranks)}] AS "ranks"
        FROM (${sumsSql(span.storeId, span, () => Prisma.empty)}) AS sums
        WHERE sums."ordersCount" > 0
      ) ranked
      WHERE ${Prisma.join(
        wanted.map(([, limit], index) => Prisma.sql`ranked."ranks"[${index + 1}::int] <= ${limit}::int`),
        ' OR ',
      )}`,
  );
  const rankings = new Map(
    wanted.map(([sortKey, limit], index) => [
      sortKey,
      rows
        .filter((row) => (row.ranks[index] ?? Number.POSITIVE_INFINITY) <= limit)
        .sort((a, b) => (a.ranks[index] ?? 0) - (b.ranks[index] ?? 0))
        .map(({ ranks: _ranks, ...row }) => ({ ...row, currencyCode: span.currencyCode })),
    ]),
  );
  return requests.map(({ first, sortKey }) =>
    (rankings.get(sortKey) ?? []).slice(0, Math.min(Math.max(first, 0), MAX_FIRST)),
  );
}

/** The sales of each product in a span (zero for a product without any), in the order given. */
export async function salesOfProducts(
  context: SubgraphContext,
  storeId: string,
  currencyCode: string,
  range: DateRange,
  productIds: readonly string[],
): Promise<ProductSalesParent[]> {
  const rows = await context.db.transaction((tx) =>
    tx.$queryRaw<ProductRow[]>(
      sumsSql(storeId, range, (alias) => Prisma.sql`AND ${Prisma.raw(alias)}."productId" = ANY(${productIds}::uuid[])`),
    ),
  );
  return productIds.map((productId) => {
    const row = rows.find((candidate) => candidate.productId === productId);
    return row
      ? { ...row, currencyCode }
      : { productId, unitsSold: 0, netSales: new Prisma.Decimal(0), ordersCount: 0, currencyCode };
  });
}
