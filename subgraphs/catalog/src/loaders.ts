import type { RequestContext } from '@commerce/graphql-kit';

/** The per-request DataLoaders of the catalog subgraph: one statement per batch. */
export function createLoaders(_context: RequestContext) {
  return {};
}

export type CatalogLoaders = ReturnType<typeof createLoaders>;
