import { scalarResolvers } from '@commerce/graphql-kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Customer, CustomerLifetime } from './Customer.js';
import { CustomerSummary } from './CustomerSummary.js';
import { Product } from './Product.js';
import { ProductSales } from './ProductSales.js';
import { SalesPoint, SalesSummary } from './Sales.js';
import { Store } from './Store.js';
import { StoreAnalytics } from './StoreAnalytics.js';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Store,
  StoreAnalytics,
  SalesSummary,
  SalesPoint,
  ProductSales,
  Product,
  Customer,
  CustomerLifetime,
  CustomerSummary,
};
