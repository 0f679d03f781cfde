// A span's sales and funnel, from the daily rollups: one statement whatever the span's length,
// with a point per interval (every one present, empty or not) and the totals summed in SQL.
import { Decimal } from '@commerce/graphql-kit';
import type { SubgraphContext } from '../context.js';
import type { SalesSummaryParent } from '../mappers.js';
import { boundsSql, FIRST_DAY, LAST_DAY, UNITS, type AnalyticsSpan } from './analytics-span.js';

interface SalesRow {
  start: Date;
  revenue: Decimal;
  ordersCount: number;
  netSales: Decimal;
  grossSales: Decimal;
  discounts: Decimal;
  refunds: Decimal;
  shipping: Decimal;
  tax: Decimal;
  total: Decimal;
  totalOrdersCount: number;
  ordersPlaced: number;
  cartsCreated: number;
  checkoutsFailed: number;
}

/** The span's sales, series and funnel counts (staff permission checked by the caller). */
export async function salesOfSpan(context: SubgraphContext, span: AnalyticsSpan): Promise<SalesSummaryParent> {
  const unit = UNITS[span.interval];
  const { storeId, currencyCode } = span;
  const rows = await context.db.transaction(
    (tx) => tx.$queryRaw<SalesRow[]>`
      WITH ${boundsSql(storeId, span)},
      points AS (
        SELECT generate_series(date_trunc(${unit}, first_day::timestamp), date_trunc(${unit}, last_day::timestamp), ('1 ' || ${unit})::interval) AS local_start
        FROM bounds
      ),
      days AS (
        SELECT date_trunc(${unit}, d."day"::timestamp) AS local_start,
               sum(d."grossSales") AS gross, sum(d."discounts") AS discounts, sum(d."refunds") AS refunds,
               sum(d."shipping") AS shipping, sum(d."tax") AS tax, sum(d."total") AS total,
               sum(d."ordersCount")::int AS orders, sum(d."ordersPlaced")::int AS placed,
               sum(d."cartsCreated")::int AS carts, sum(d."checkoutsFailed")::int AS failed
        FROM "AnalyticsDailySales" d
        WHERE d."storeId" = ${storeId}::uuid AND d."day" BETWEEN ${FIRST_DAY} AND ${LAST_DAY}
        GROUP BY 1
      )
      SELECT points.local_start AT TIME ZONE bounds.zone AS "start",
             coalesce(days.total - days.refunds, 0) AS "revenue",
             coalesce(days.orders, 0) AS "ordersCount",
             coalesce(days.gross - days.discounts - days.refunds, 0) AS "netSales",
             coalesce(sum(days.gross) OVER (), 0) AS "grossSales",
             coalesce(sum(days.discounts) OVER (), 0) AS "discounts",
             coalesce(sum(days.refunds) OVER (), 0) AS "refunds",
             coalesce(sum(days.shipping) OVER (), 0) AS "shipping",
             coalesce(sum(days.tax) OVER (), 0) AS "tax",
             coalesce(sum(days.total) OVER (), 0) AS "total",
             coalesce(sum(days.orders) OVER (), 0)::int AS "totalOrdersCount",
             coalesce(sum(days.placed) OVER (), 0)::int AS "ordersPlaced",
             coalesce(sum(days.carts) OVER (), 0)::int AS "cartsCreated",
             coalesce(sum(days.failed) OVER (), 0)::int AS "checkoutsFailed"
      FROM points CROSS JOIN bounds LEFT JOIN days ON days.local_start = points.local_start
      ORDER BY points.local_start`,
  );
  const totals = rows[0];
  const zero = new Decimal(0);
  const total = totals?.total ?? zero;
  const refunds = totals?.refunds ?? zero;
  const revenue = new Decimal(total).minus(refunds);
  const ordersCount = totals?.totalOrdersCount ?? 0;
  const grossSales = totals?.grossSales ?? zero;
  const discounts = totals?.discounts ?? zero;
  return {
    revenue,
    ordersCount,
    averageOrderValue: ordersCount === 0 ? zero : revenue.dividedBy(ordersCount),
    grossSales,
    discounts,
    refunds,
    netSales: new Decimal(grossSales).minus(discounts).minus(refunds),
    shipping: totals?.shipping ?? zero,
    tax: totals?.tax ?? zero,
    total,
    series: rows.map((row) => ({
      start: row.start,
      revenue: row.revenue,
      ordersCount: row.ordersCount,
      netSales: row.netSales,
      currencyCode,
    })),
    funnel: {
      carts: totals?.cartsCreated ?? 0,
      ordersPlaced: totals?.ordersPlaced ?? 0,
      checkoutsFailed: totals?.checkoutsFailed ?? 0,
    },
    currencyCode,
  };
}
