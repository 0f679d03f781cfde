import { loadSubgraphSdl, type SubgraphDefinition } from '@commerce/graphql-kit';
import { createContext, type SubgraphContext } from './context.js';
import { resolvers } from './resolvers/index.js';

/** The customer subgraph. */
export const customerSubgraph: SubgraphDefinition<SubgraphContext> = {
  name: 'customer',
  typeDefs: loadSubgraphSdl('customer'),
  resolvers,
  createContext,
};
