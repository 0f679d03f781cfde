import { loadSubgraphSdl, type SubgraphDefinition } from '@commerce/graphql-kit';
import { createContext, type SubgraphContext } from './context.js';
import { resolvers } from './resolvers/index.js';
import { startCartSweeper } from './services/cart-sweeper.js';

/** The order subgraph. */
export const orderSubgraph: SubgraphDefinition<SubgraphContext> = {
  name: 'order',
  typeDefs: loadSubgraphSdl('order'),
  resolvers,
  createContext,
  background: startCartSweeper,
};
