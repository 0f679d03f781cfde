import type { RequestContext } from '@commerce/graphql-kit';
import { createLoaders, type CatalogLoaders } from './loaders.js';

/** The catalog subgraph's request context. */
export interface SubgraphContext extends RequestContext {
  loaders: CatalogLoaders;
}

export function createContext(base: RequestContext): SubgraphContext {
  return { ...base, loaders: createLoaders(base) };
}
