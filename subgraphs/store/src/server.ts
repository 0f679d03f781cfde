import { loadSubgraphSdl, type SubgraphDefinition } from '@commerce/graphql-kit';
import { createContext, type SubgraphContext } from './context.js';
import { resolvers } from './resolvers/index.js';

/** The store subgraph: sellers, stores, staff, and the `node` entry point. */
export const storeSubgraph: SubgraphDefinition<SubgraphContext> = {
  typeDefs: loadSubgraphSdl('store'),
  resolvers,
  createContext,
};
