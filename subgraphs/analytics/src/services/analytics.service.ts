// The analytics a seller reads (DESIGN §14), answered from the rollups the consumer keeps
// (read-models/), never from the orders: each figure group is one statement, whatever the span.
import { Prisma } from '@commerce/database';
import { keyOrNull, notFound, requirePermission, requireStore } from '@commerce/graphql-kit';
import type { AnalyticsComparison, AnalyticsInterval, ProductSalesSortKey } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import type {
  CustomerLifetimeParent,
  ProductSalesParent,
  SalesSummaryParent,
  StoreAnalyticsParent,
} from '../mappers.js';
import { previousSpan, validateRange, type DateRange } from './analytics-span.js';

const VIEW = 'VIEW_ANALYTICS';

/** A store's figures for a span (staff with the analytics permission); the groups are read as selected. */
export async function storeAnalytics(
  context: SubgraphContext,
  storeId: string,
  range: DateRange,
  interval: AnalyticsInterval,
  compare: AnalyticsComparison | null,
): Promise<StoreAnalyticsParent> {
  await requirePermission(context, VIEW);
  validateRange(range, interval);
  const { currencyCode } = requireStore(context);
  return { span: { storeId, from: range.from, to: range.to, interval, currencyCode }, compare };
}

/** The span compared with, when one was asked for. */
export function comparedAnalytics(analytics: StoreAnalyticsParent): StoreAnalyticsParent | null {
  return analytics.compare === 'PREVIOUS_PERIOD' ? { span: previousSpan(analytics.span), compare: null } : null;
}

export function salesOf(context: SubgraphContext, analytics: StoreAnalyticsParent): Promise<SalesSummaryParent> {
  return context.loaders.sales.load(analytics.span);
}

export function customersOf(context: SubgraphContext, analytics: StoreAnalyticsParent) {
  return context.loaders.customers.load(analytics.span);
}

export function topProductsOf(
  context: SubgraphContext,
  analytics: StoreAnalyticsParent,
  first: number,
  sortKey: ProductSalesSortKey,
): Promise<ProductSalesParent[]> {
  return context.loaders.topProducts.load({ span: analytics.span, first, sortKey });
}

export function cursorOf(context: SubgraphContext, analytics: StoreAnalyticsParent) {
  return context.loaders.cursor.load(analytics.span.storeId);
}

/** Conversion from the span's daily figures: a placed order is a checkout too. */
export async function conversionOf(context: SubgraphContext, analytics: StoreAnalyticsParent) {
  const { funnel } = await salesOf(context, analytics);
  const checkouts = funnel.ordersPlaced + funnel.checkoutsFailed;
  const ratio = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);
  return {
    carts: funnel.carts,
    checkouts,
    orders: funnel.ordersPlaced,
    rate: ratio(funnel.ordersPlaced, funnel.carts),
    cartToCheckoutRate: ratio(checkouts, funnel.carts),
    checkoutToOrderRate: ratio(funnel.ordersPlaced, checkouts),
  };
}

/** (this − that) / that, null when that is zero. */
function changeOf(current: Prisma.Decimal | number, previous: Prisma.Decimal | number): number | null {
  const before = new Prisma.Decimal(previous);
  if (before.isZero()) return null;
  return new Prisma.Decimal(current).minus(before).dividedBy(before).toNumber();
}

/** How the sales changed against the span compared with; null without one. */
export async function salesChangeOf(context: SubgraphContext, analytics: StoreAnalyticsParent) {
  const compared = comparedAnalytics(analytics);
  if (!compared) return null;
  const [current, previous] = await Promise.all([salesOf(context, analytics), salesOf(context, compared)]);
  return {
    revenue: changeOf(current.revenue, previous.revenue),
    ordersCount: changeOf(current.ordersCount, previous.ordersCount),
    averageOrderValue: changeOf(current.averageOrderValue, previous.averageOrderValue),
    netSales: changeOf(current.netSales, previous.netSales),
  };
}

/** A product's sales in a span (staff with the analytics permission). */
export async function productSales(
  context: SubgraphContext,
  productGlobalId: string,
  range: DateRange,
): Promise<ProductSalesParent> {
  await requirePermission(context, VIEW);
  validateRange(range, 'MONTH');
  const productId = keyOrNull(productGlobalId, 'Product');
  if (!productId) throw notFound(`Product "${productGlobalId}"`);
  return context.loaders.productSales.load({ productId, range });
}

/** A customer's lifetime figures (staff with the analytics permission). */
export async function customerLifetime(
  context: SubgraphContext,
  customerGlobalId: string,
): Promise<CustomerLifetimeParent> {
  await requirePermission(context, VIEW);
  const customerId = keyOrNull(customerGlobalId, 'Customer');
  if (!customerId) throw notFound(`Customer "${customerGlobalId}"`);
  return context.loaders.lifetimes.load(customerId);
}
