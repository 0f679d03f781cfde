import type { RequestContext } from '@commerce/graphql-kit';
import { createLoaders, type OrderLoaders } from './loaders.js';

/** The order subgraph's request context. */
export interface SubgraphContext extends RequestContext {
  loaders: OrderLoaders;
}

export function createContext(base: RequestContext): SubgraphContext {
  return { ...base, loaders: createLoaders(base) };
}
