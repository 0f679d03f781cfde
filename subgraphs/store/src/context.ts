import type { RequestContext } from '@commerce/graphql-kit';
import { createLoaders, type StoreLoaders } from './loaders.js';

/** The store subgraph's request context. */
export interface SubgraphContext extends RequestContext {
  loaders: StoreLoaders;
}

export function createContext(base: RequestContext): SubgraphContext {
  return { ...base, loaders: createLoaders(base) };
}
