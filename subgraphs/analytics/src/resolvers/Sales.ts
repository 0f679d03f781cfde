import { money } from '@commerce/graphql-kit';
import type { SalesPointResolvers, SalesSummaryResolvers } from '../__generated__/resolvers-types.js';

export const SalesSummary: SalesSummaryResolvers = {
  revenue: (sales) => money(sales.revenue, sales.currencyCode),
  averageOrderValue: (sales) => money(sales.averageOrderValue, sales.currencyCode),
  grossSales: (sales) => money(sales.grossSales, sales.currencyCode),
  discounts: (sales) => money(sales.discounts, sales.currencyCode),
  refunds: (sales) => money(sales.refunds, sales.currencyCode),
  netSales: (sales) => money(sales.netSales, sales.currencyCode),
  shipping: (sales) => money(sales.shipping, sales.currencyCode),
  tax: (sales) => money(sales.tax, sales.currencyCode),
  total: (sales) => money(sales.total, sales.currencyCode),
};

export const SalesPoint: SalesPointResolvers = {
  revenue: (point) => money(point.revenue, point.currencyCode),
  netSales: (point) => money(point.netSales, point.currencyCode),
};
