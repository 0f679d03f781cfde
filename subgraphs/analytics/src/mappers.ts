import type { Decimal } from '@commerce/graphql-kit';
import type { AnalyticsComparison } from './__generated__/resolvers-types.js';
import type { AnalyticsSpan } from './services/analytics-span.js';

/** Resolver parents of this subgraph's types: codegen.ts maps every exported `<Type>Parent` here to `<Type>`. */

/** The request's store; `id` is its key (checked by `storeReferenceKey`). */
export type StoreParent = { id: string };
/** A product reference; `id` is its global id. */
export type ProductParent = { id: string };
/** A customer reference; `id` is its global id. */
export type CustomerParent = { id: string };
/** The span asked about (permission checked); each figure group is read when selected. */
export type StoreAnalyticsParent = { span: AnalyticsSpan; compare: AnalyticsComparison | null };
/** Sales figures with their store's currency, which their Money fields are in. */
export type SalesSummaryParent = {
  revenue: Decimal;
  ordersCount: number;
  averageOrderValue: Decimal;
  grossSales: Decimal;
  discounts: Decimal;
  refunds: Decimal;
  netSales: Decimal;
  shipping: Decimal;
  tax: Decimal;
  total: Decimal;
  series: SalesPointParent[];
  /** What the conversion funnel counts, from the same rows. */
  funnel: { carts: number; ordersPlaced: number; checkoutsFailed: number };
  currencyCode: string;
};
/** Sales in one interval, with their store's currency. */
export type SalesPointParent = {
  start: Date;
  revenue: Decimal;
  ordersCount: number;
  netSales: Decimal;
  currencyCode: string;
};
/** A product's sales in a span; `productId` is the product's key. */
export type ProductSalesParent = {
  productId: string;
  unitsSold: number;
  netSales: Decimal;
  ordersCount: number;
  currencyCode: string;
};
/** Buyers of a span. */
export type CustomerSummaryParent = {
  new: number;
  returning: number;
  repeatRate: number;
  averageLifetimeValue: Decimal;
  currencyCode: string;
};
/** A customer's figures over all time. */
export type CustomerLifetimeParent = {
  ordersCount: number;
  netSales: Decimal;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  currencyCode: string;
};
