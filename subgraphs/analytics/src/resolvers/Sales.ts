import { money } from '@commerce/graphql-kit';
import type { SalesPointResolvers, SalesSummaryResolvers } from '../__generated__/resolvers-types.js';

export const SalesSummary: SalesSummaryResolvers = {
  revenue: (sales) => money(sales.revenue, sales.currencyCode),
  averageOrderValue: (sales) => money(sales.averageOrderValue, sales.currencyCode),
};

export const SalesPoint: SalesPointResolvers = {
  revenue: (point) => money(point.revenue, point.currencyCode),
};
