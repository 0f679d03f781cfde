import DataLoader from 'dataloader';
import { requireStore, type RequestContext } from '@commerce/graphql-kit';
import type {
  CustomerLifetimeParent,
  CustomerSummaryParent,
  ProductSalesParent,
  SalesSummaryParent,
} from './mappers.js';
import { spanKey, type AnalyticsSpan, type DateRange } from './services/analytics-span.js';
import { rollupsAsOf } from './services/analytics-cursor.service.js';
import { customersOfSpan, lifetimesOfCustomers } from './services/customer-analytics.service.js';
import { salesOfProducts, topProducts, type TopProductsRequest } from './services/product-sales.service.js';
import { salesOfSpan } from './services/sales.service.js';
import type { SubgraphContext } from './context.js';

/** A ranking of a span's products, as StoreAnalytics.topProducts asks for it. */
interface TopProductsKey extends TopProductsRequest {
  span: AnalyticsSpan;
}

/** A product's sales in a span, as entity queries ask for them. */
interface ProductSpan {
  productId: string;
  range: DateRange;
}

/**
 * The per-request DataLoaders of the analytics subgraph: one statement per batch, and each span's
 * figures read once however many fields (a comparison's change, the funnel) use them.
 */
export function createLoaders(base: RequestContext) {
  // The loaders run with the subgraph's context, which holds them.
  const context = base as SubgraphContext;
  return {
    cursor: new DataLoader<string, Awaited<ReturnType<typeof rollupsAsOf>>>((storeIds) =>
      Promise.all(storeIds.map((storeId) => rollupsAsOf(context, storeId))),
    ),
    sales: new DataLoader<AnalyticsSpan, SalesSummaryParent, string>(
      (spans) => Promise.all(spans.map((span) => salesOfSpan(context, span))),
      { cacheKeyFn: spanKey },
    ),
    customers: new DataLoader<AnalyticsSpan, CustomerSummaryParent, string>(
      (spans) => Promise.all(spans.map((span) => customersOfSpan(context, span))),
      { cacheKeyFn: spanKey },
    ),
    // The rankings of one span (by net sales, by units) from one sum of it.
    topProducts: new DataLoader<TopProductsKey, ProductSalesParent[], string>(
      async (keys) => {
        const bySpan = new Map<string, TopProductsKey[]>();
        for (const key of keys) bySpan.set(spanKey(key.span), [...(bySpan.get(spanKey(key.span)) ?? []), key]);
        const found = new Map<TopProductsKey, ProductSalesParent[]>();
        await Promise.all(
          [...bySpan.values()].map(async (group) => {
            const rankings = await topProducts(context, group[0]?.span as AnalyticsSpan, group);
            for (const [index, key] of group.entries()) found.set(key, rankings[index] ?? []);
          }),
        );
        return keys.map((key) => found.get(key) ?? []);
      },
      { cacheKeyFn: (key) => `${spanKey(key.span)}|${key.sortKey}|${key.first}` },
    ),
    productSales: new DataLoader<ProductSpan, ProductSalesParent, string>(
      async (keys) => {
        const store = requireStore(context);
        const byRange = new Map<string, ProductSpan[]>();
        for (const key of keys) byRange.set(spanKey(key.range), [...(byRange.get(spanKey(key.range)) ?? []), key]);
        const found = new Map<string, ProductSalesParent>();
        for (const [rangeKey, group] of byRange) {
          const range = group[0]?.range as DateRange;
          const ids = [...new Set(group.map((key) => key.productId))];
          const sales = await salesOfProducts(context, store.id, store.currencyCode, range, ids);
          for (const entry of sales) found.set(`${rangeKey}|${entry.productId}`, entry);
        }
        return keys.map((key) => found.get(`${spanKey(key.range)}|${key.productId}`) as ProductSalesParent);
      },
      { cacheKeyFn: (key) => `${spanKey(key.range)}|${key.productId}` },
    ),
    lifetimes: new DataLoader<string, CustomerLifetimeParent>((customerIds) => {
      const store = requireStore(context);
      return lifetimesOfCustomers(context, store.id, store.currencyCode, customerIds);
    }),
  };
}

export type AnalyticsLoaders = ReturnType<typeof createLoaders>;
