import type { RequestContext } from '@commerce/graphql-kit';
import { createLoaders, type AnalyticsLoaders } from './loaders.js';

/** The analytics subgraph's request context. */
export interface SubgraphContext extends RequestContext {
  loaders: AnalyticsLoaders;
}

export function createContext(base: RequestContext): SubgraphContext {
  return { ...base, loaders: createLoaders(base) };
}
