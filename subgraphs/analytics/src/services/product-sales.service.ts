// Products' sales in a span, from the product-day rollups: the top of the span in one statement,
// and the products an entity query names in one statement per span (loaders.ts).
import { Prisma } from '@commerce/database';
import type { Decimal } from '@commerce/graphql-kit';
import type { ProductSalesSortKey } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import type { ProductSalesParent } from '../mappers.js';
import { boundsSql, type AnalyticsSpan, type DateRange } from './analytics-span.js';

const MAX_FIRST = 100;

interface ProductRow {
  productId: string;
  unitsSold: number;
  netSales: Decimal;
  ordersCount: number;
}

const ORDER_BY: Readonly<Record<ProductSalesSortKey, Prisma.Sql>> = {
  NET_SALES: Prisma.sql`"netSales" DESC, "unitsSold" DESC, "productId"`,
  UNITS: Prisma.sql`"unitsSold" DESC, "netSales" DESC, "productId"`,
};

function sumsSql(storeId: string, range: DateRange, products: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    WITH ${boundsSql(storeId, range)}
    SELECT p."productId", sum(p."units")::int AS "unitsSold", sum(p."netSales") AS "netSales", sum(p."ordersCount")::int AS "ordersCount"
    FROM "AnalyticsProductDaily" p CROSS JOIN bounds
    WHERE p."storeId" = ${storeId}::uuid AND p."day" BETWEEN bounds.first_day AND bounds.last_day ${products}
    GROUP BY p."productId"`;
}

/** The span's best-selling products (at most 100), ranked by `sortKey`; products without orders left out. */
export async function topProducts(
  context: SubgraphContext,
  span: AnalyticsSpan,
  first: number,
  sortKey: ProductSalesSortKey,
): Promise<ProductSalesParent[]> {
  const limit = Math.min(Math.max(first, 0), MAX_FIRST);
  if (limit === 0) return [];
  const rows = await context.db.transaction(
    (tx) => tx.$queryRaw<ProductRow[]>`
      SELECT * FROM (${sumsSql(span.storeId, span, Prisma.empty)}) AS sums
      WHERE "ordersCount" > 0
      ORDER BY ${ORDER_BY[sortKey]}
      LIMIT ${limit}::int`,
  );
  return rows.map((row) => ({ ...row, currencyCode: span.currencyCode }));
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
    tx.$queryRaw<ProductRow[]>(sumsSql(storeId, range, Prisma.sql`AND p."productId" = ANY(${productIds}::uuid[])`)),
  );
  return productIds.map((productId) => {
    const row = rows.find((candidate) => candidate.productId === productId);
    return row
      ? { ...row, currencyCode }
      : { productId, unitsSold: 0, netSales: new Prisma.Decimal(0), ordersCount: 0, currencyCode };
  });
}
