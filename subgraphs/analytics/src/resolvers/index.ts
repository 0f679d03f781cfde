import { scalarResolvers } from '@commerce/graphql-kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { SalesPoint, SalesSummary } from './Sales.js';
import { Store } from './Store.js';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Store,
  SalesSummary,
  SalesPoint,
};
