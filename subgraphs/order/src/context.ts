import type { RequestContext } from '@commerce/graphql-kit';
import { createLoaders, createOrderDetailLoaders, type OrderLoaders } from './loaders.js';
import type { CheckoutLines } from './services/checkout-gate.js';
import type { OrderSettings } from './settings.js';

/** The order subgraph's request context. */
export interface SubgraphContext extends RequestContext {
  loaders: OrderLoaders & ReturnType<typeof createOrderDetailLoaders>;
  settings: OrderSettings;
  /** Where this process's checkouts take turns. */
  checkoutLines: CheckoutLines;
}

/** What every request of one order subgraph shares. */
export interface OrderSubgraphParts {
  settings: OrderSettings;
  checkoutLines: CheckoutLines;
}

export function createContext(base: RequestContext, parts: OrderSubgraphParts): SubgraphContext {
  return { ...base, ...parts, loaders: { ...createLoaders(base), ...createOrderDetailLoaders(base) } };
}
