import type { RequestContext } from '@commerce/graphql-kit';
import { createLoaders, createOrderDetailLoaders, type OrderLoaders } from './loaders.js';

/** The order subgraph's request context. */
export interface SubgraphContext extends RequestContext {
  loaders: OrderLoaders & ReturnType<typeof createOrderDetailLoaders>;
}

export function createContext(base: RequestContext): SubgraphContext {
  return { ...base, loaders: { ...createLoaders(base), ...createOrderDetailLoaders(base) } };
}
