import { loadSubgraphSdl, type SubgraphDefinition } from '@commerce/graphql-kit';
import { createContext, type SubgraphContext } from './context.js';
import { resolvers } from './resolvers/index.js';

/** The analytics subgraph. */
export const analyticsSubgraph: SubgraphDefinition<SubgraphContext> = {
  name: 'analytics',
  typeDefs: loadSubgraphSdl('analytics'),
  resolvers,
  createContext,
};
