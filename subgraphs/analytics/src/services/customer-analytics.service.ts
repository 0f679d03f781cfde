// Buyers of a span and a customer's lifetime figures, from the buyer rollups. A buyer is a
// customer, or a guest counted by lower-cased email.
import { Prisma } from '@commerce/database';
import type { Decimal } from '@commerce/graphql-kit';
import type { SubgraphContext } from '../context.js';
import type { CustomerLifetimeParent, CustomerSummaryParent } from '../mappers.js';
import { boundsSql, FIRST_DAY, LAST_DAY, type AnalyticsSpan } from './analytics-span.js';

interface SummaryRow {
  new: number;
  returning: number;
  repeaters: number;
  averageLifetimeValue: Decimal | null;
}

/**
 * New and returning buyers of the span, the share who ordered more than once, and their average
 * lifetime value: one statement over the span's buyer-day rows (an index-only scan). A buyer's
 * first row in the span is the one whose previous day with an order falls before it, so each
 * buyer counts once without a DISTINCT; the row carries the buyer's first day and lifetime figures.
 */
export async function customersOfSpan(context: SubgraphContext, span: AnalyticsSpan): Promise<CustomerSummaryParent> {
  const { storeId } = span;
  const [row] = await context.db.transaction(
    (tx) => tx.$queryRaw<SummaryRow[]>`
      WITH ${boundsSql(storeId, span)}
      SELECT count(*) FILTER (WHERE d."firstDay" >= ${FIRST_DAY})::int AS "new",
             count(*) FILTER (WHERE d."firstDay" < ${FIRST_DAY})::int AS "returning",
             count(*) FILTER (WHERE d."lifetimeOrders" > 1)::int AS "repeaters",
             avg(d."lifetimeNetSales") AS "averageLifetimeValue"
      FROM "AnalyticsBuyerDaily" d
      WHERE d."storeId" = ${storeId}::uuid AND d."day" BETWEEN ${FIRST_DAY} AND ${LAST_DAY} AND d."ordersCount" > 0
        AND (d."previousDay" IS NULL OR d."previousDay" < ${FIRST_DAY})`,
  );
  const buyers = (row?.new ?? 0) + (row?.returning ?? 0);
  return {
    new: row?.new ?? 0,
    returning: row?.returning ?? 0,
    repeatRate: buyers === 0 ? 0 : (row?.repeaters ?? 0) / buyers,
    averageLifetimeValue: row?.averageLifetimeValue ?? new Prisma.Decimal(0),
    currencyCode: span.currencyCode,
  };
}

interface LifetimeRow {
  customerId: string;
  ordersCount: number;
  netSales: Decimal;
  firstOrderAt: Date;
  lastOrderAt: Date;
}

/** The lifetime figures of customers (by key), in the order given: one statement. */
export async function lifetimesOfCustomers(
  context: SubgraphContext,
  storeId: string,
  currencyCode: string,
  customerIds: readonly string[],
): Promise<CustomerLifetimeParent[]> {
  const rows = await context.db.transaction(
    (tx) => tx.$queryRaw<LifetimeRow[]>`
      SELECT b."customerId", b."ordersCount", b."netSales", b."firstOrderAt", b."lastOrderAt"
      FROM "AnalyticsBuyer" b
      WHERE b."storeId" = ${storeId}::uuid AND b."buyerKey" = ANY(${customerIds.map((id) => `customer:${id}`)}::text[])`,
  );
  return customerIds.map((customerId) => {
    const row = rows.find((candidate) => candidate.customerId === customerId);
    return row
      ? { ...row, currencyCode }
      : { ordersCount: 0, netSales: new Prisma.Decimal(0), firstOrderAt: null, lastOrderAt: null, currencyCode };
  });
}
