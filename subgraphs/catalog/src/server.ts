import { loadSubgraphSdl, type SubgraphDefinition } from '@commerce/graphql-kit';
import { createContext, type SubgraphContext } from './context.js';
import { resolvers } from './resolvers/index.js';

/** The catalog subgraph. */
export const catalogSubgraph: SubgraphDefinition<SubgraphContext> = {
  name: 'catalog',
  typeDefs: loadSubgraphSdl('catalog'),
  resolvers,
  createContext,
};
