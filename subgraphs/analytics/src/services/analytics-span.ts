// The span a dashboard asks about, checked once, and the SQL that turns it into the store-local
// days the rollups are kept by.
import { Prisma } from '@commerce/database';
import { badUserInput } from '@commerce/graphql-kit';
import type { AnalyticsInterval } from '../__generated__/resolvers-types.js';

const DAY_MS = 86_400_000;

/** The longest span per interval, so a series stays a chart's worth of points. */
const MAX_SPAN_DAYS: Readonly<Record<AnalyticsInterval, number>> = { DAY: 366, WEEK: 366 * 7, MONTH: 366 * 31 };

/** The unit PostgreSQL's date_trunc and the series step use for each interval. */
export const UNITS: Readonly<Record<AnalyticsInterval, 'day' | 'week' | 'month'>> = {
  DAY: 'day',
  WEEK: 'week',
  MONTH: 'month',
};

export interface DateRange {
  from: Date;
  to: Date;
}

/** A store's span of time, as the figures of one StoreAnalytics are asked for. */
export interface AnalyticsSpan extends DateRange {
  storeId: string;
  interval: AnalyticsInterval;
  /** The store's currency, which its Money is in. */
  currencyCode: string;
}

/** BAD_USER_INPUT unless from < to and the span fits the interval. */
export function validateRange(range: DateRange, interval: AnalyticsInterval): void {
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

/** The span of the same length just before. */
export function previousSpan(span: AnalyticsSpan): AnalyticsSpan {
  const length = span.to.getTime() - span.from.getTime();
  return { ...span, from: new Date(span.from.getTime() - length), to: span.from };
}

/** A key of the span's figures, for per-request caches. */
export function spanKey(span: DateRange & { interval?: string }): string {
  return `${span.from.toISOString()}|${span.to.toISOString()}|${span.interval ?? ''}`;
}

/**
 * A CTE `bounds (first_day, last_day, zone)`: the store-local days the span covers, from the day
 * of `from` to the day of the last instant before `to`, and the store's time zone.
 */
export function boundsSql(storeId: string, range: DateRange): Prisma.Sql {
  return Prisma.sql`bounds AS (
    SELECT (${range.from}::timestamptz AT TIME ZONE s."timezone")::date AS first_day,
           ((${range.to}::timestamptz - interval '1 microsecond') AT TIME ZONE s."timezone")::date AS last_day,
           s."timezone" AS zone
    FROM "Store" s WHERE s."id" = ${storeId}::uuid
  )`;
}

/**
 * The span's first and last store-local day as values of the statement (InitPlans of the `bounds`
 * CTE). A rollup table joined with `bounds` instead gets its day range as a join filter, not an index
 * condition, under row-level security (the Store row's policy calls a function PostgreSQL cannot
 * prove leakproof): a year's buyers were read as every row of the store, 1.5 s instead of 60 ms.
 */
export const FIRST_DAY = Prisma.sql`(SELECT bounds.first_day FROM bounds)`;
export const LAST_DAY = Prisma.sql`(SELECT bounds.last_day FROM bounds)`;
