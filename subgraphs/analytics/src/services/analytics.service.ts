import { badUserInput, Decimal, requirePermission, requireStore } from '@commerce/graphql-kit';
import type { AnalyticsInterval } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import type { SalesSummaryParent } from '../mappers.js';

const DAY_MS = 86_400_000;

/** The unit PostgreSQL's date_trunc and the series step use for each interval. */
const UNITS: Readonly<Record<AnalyticsInterval, 'day' | 'week' | 'month'>> = {
  DAY: 'day',
  WEEK: 'week',
  MONTH: 'month',
};

/** The longest span per interval, so a series stays a chart's worth of points. */
const MAX_SPAN_DAYS: Readonly<Record<AnalyticsInterval, number>> = { DAY: 366, WEEK: 366 * 7, MONTH: 366 * 31 };

export interface DateRange {
  from: Date;
  to: Date;
}

interface SalesRow {
  start: Date;
  revenue: Decimal;
  ordersCount: number;
  totalRevenue: Decimal;
  totalOrdersCount: number;
  averageOrderValue: Decimal;
}

function validateRange(range: DateRange, interval: AnalyticsInterval): void {
  if (!(range.from.getTime() < range.to.getTime()))
    throw badUserInput('"range.from" must be before "range.to".', ['range', 'from']);
  const limit = MAX_SPAN_DAYS[interval];
  if (range.to.getTime() - range.from.getTime() > limit * DAY_MS) {
    throw badUserInput(`A ${interval} series spans at most ${limit} days; shorten the range or use a wider interval.`, [
      'range',
      'to',
    ]);
  }
}

/**
 * Sales of orders placed in [from, to), cancelled ones excluded, where revenue is total less
 * refunds. One statement: points are the store's local days, weeks (from Monday) or months,
 * every point present even without orders, and the totals are summed over them in SQL.
 */
async function salesSummary(
  context: SubgraphContext,
  storeId: string,
  range: DateRange,
  interval: AnalyticsInterval,
): Promise<SalesSummaryParent> {
  // Orders are in the currency of their store, which is fixed once it has any.
  const currencyCode = requireStore(context).currencyCode;
  const unit = UNITS[interval];
  const rows = await context.db.transaction(
    (tx) => tx.$queryRaw<SalesRow[]>`
      WITH store AS (
        SELECT "timezone" AS zone FROM "Store" WHERE "id" = ${storeId}::uuid
      ),
      points AS (
        SELECT generate_series(
          date_trunc(${unit}, ${range.from}::timestamptz AT TIME ZONE store.zone),
          date_trunc(${unit}, (${range.to}::timestamptz - interval '1 microsecond') AT TIME ZONE store.zone),
          ('1 ' || ${unit})::interval
        ) AS local_start
        FROM store
      ),
      sales AS (
        SELECT date_trunc(${unit}, o."createdAt" AT TIME ZONE store.zone) AS local_start,
               count(*)::int AS orders_count,
               sum(o."total" - o."totalRefunded") AS revenue
        FROM "Order" o CROSS JOIN store
        WHERE o."storeId" = ${storeId}::uuid
          AND o."createdAt" >= ${range.from}::timestamptz AND o."createdAt" < ${range.to}::timestamptz
          AND o."status" <> 'CANCELLED'
        GROUP BY 1
      )
      SELECT points.local_start AT TIME ZONE store.zone AS "start",
             coalesce(sales.revenue, 0) AS "revenue",
             coalesce(sales.orders_count, 0) AS "ordersCount",
             coalesce(sum(sales.revenue) OVER (), 0) AS "totalRevenue",
             coalesce(sum(sales.orders_count) OVER (), 0)::int AS "totalOrdersCount",
             coalesce(sum(sales.revenue) OVER () / nullif(sum(sales.orders_count) OVER (), 0), 0) AS "averageOrderValue"
      FROM points CROSS JOIN store LEFT JOIN sales ON sales.local_start = points.local_start
      ORDER BY points.local_start`,
  );
  const totals = rows[0];
  return {
    revenue: totals?.totalRevenue ?? new Decimal(0),
    ordersCount: totals?.totalOrdersCount ?? 0,
    averageOrderValue: totals?.averageOrderValue ?? new Decimal(0),
    series: rows.map((row) => ({ start: row.start, revenue: row.revenue, ordersCount: row.ordersCount, currencyCode })),
    currencyCode,
  };
}

/** A store's figures for a span of time (staff with the analytics permission). */
export async function storeAnalytics(
  context: SubgraphContext,
  storeId: string,
  range: DateRange,
  interval: AnalyticsInterval,
): Promise<{ from: Date; to: Date; sales: SalesSummaryParent }> {
  await requirePermission(context, 'VIEW_ANALYTICS');
  validateRange(range, interval);
  return { from: range.from, to: range.to, sales: await salesSummary(context, storeId, range, interval) };
}
