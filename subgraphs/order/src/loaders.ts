import type { RequestContext } from '@commerce/graphql-kit';

/** The per-request DataLoaders of the order subgraph: one statement per batch. */
export function createLoaders(_context: RequestContext) {
  return {};
}

export type OrderLoaders = ReturnType<typeof createLoaders>;
