import { scalarResolvers } from '@commerce/graphql-kit';
import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Mutation } from './Mutation.js';
import { Query } from './Query.js';
import { Seller } from './Seller.js';
import { Store } from './Store.js';
import type { NodeReference } from '../services/node.service.js';

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query,
  Mutation,
  Seller,
  Store,
  Node: { __resolveType: (node) => (node as unknown as NodeReference).__typename },
};
