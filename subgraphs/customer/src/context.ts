import type { RequestContext } from '@commerce/graphql-kit';
import { createLoaders, type CustomerLoaders } from './loaders.js';

/** The customer subgraph's request context. */
export interface SubgraphContext extends RequestContext {
  loaders: CustomerLoaders;
}

export function createContext(base: RequestContext): SubgraphContext {
  return { ...base, loaders: createLoaders(base) };
}
