import type { RequestContext } from '@commerce/graphql-kit';
import { createLoaders, type CustomerLoaders } from './loaders.js';
import type { CustomerSettings } from './settings.js';

/** The customer subgraph's request context. */
export interface SubgraphContext extends RequestContext {
  loaders: CustomerLoaders;
  settings: CustomerSettings;
}

/** What every request of one customer subgraph shares. */
export interface CustomerSubgraphParts {
  settings: CustomerSettings;
}

export function createContext(base: RequestContext, { settings }: CustomerSubgraphParts): SubgraphContext {
  return { ...base, loaders: createLoaders(base), settings };
}
