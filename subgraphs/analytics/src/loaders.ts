import type { RequestContext } from '@commerce/graphql-kit';

/** The per-request DataLoaders of the analytics subgraph: one statement per batch. */
export function createLoaders(_context: RequestContext) {
  return {};
}

export type AnalyticsLoaders = ReturnType<typeof createLoaders>;
