import { toGlobalId } from '@commerce/graphql-kit';
import type { StoreAnalyticsResolvers } from '../__generated__/resolvers-types.js';
import {
  comparedAnalytics,
  conversionOf,
  cursorOf,
  customersOf,
  salesChangeOf,
  salesOf,
  topProductsOf,
} from '../services/analytics.service.js';

export const StoreAnalytics: StoreAnalyticsResolvers = {
  from: (analytics) => analytics.span.from,
  to: (analytics) => analytics.span.to,
  upToSequence: async (analytics, _args, context) => (await cursorOf(context, analytics)).upToSequence,
  asOf: async (analytics, _args, context) => (await cursorOf(context, analytics)).asOf,
  sales: (analytics, _args, context) => salesOf(context, analytics),
  topProducts: (analytics, { first, sortKey }, context) =>
    topProductsOf(context, analytics, first ?? 10, sortKey ?? 'NET_SALES'),
  customers: (analytics, _args, context) => customersOf(context, analytics),
  conversion: (analytics, _args, context) => conversionOf(context, analytics),
  // The catalog owns the stock and resolves the summary.
  inventory: (analytics) => ({ storeId: toGlobalId('Store', analytics.span.storeId) }),
  comparison: (analytics) => comparedAnalytics(analytics),
  change: (analytics, _args, context) => salesChangeOf(context, analytics),
};
