import { scalarResolvers } from '@commerce/graphql-kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Customer } from './Customer.js';
import { Order } from './Order.js';
import { OrderLine } from './OrderLine.js';
import { Query } from './Query.js';
import { Store } from './Store.js';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query,
  Store,
  Customer,
  Order,
  OrderLine,
  // Order is this subgraph's only Node.
  Node: { __resolveType: () => 'Order' },
};
