import { loadSubgraphSdl, type SubgraphDefinition } from '@commerce/graphql-kit';
import { createContext, type SubgraphContext } from './context.js';
import { nodeDnsResolver, type DnsResolver } from './dns-resolver.js';
import { resolvers } from './resolvers/index.js';

export type { DnsResolver } from './dns-resolver.js';

export interface StoreSubgraphOptions {
  /** Verifies custom domains; tests pass a stand-in so that no real DNS is asked. */
  dnsResolver: DnsResolver;
}

/** Builds the store subgraph with its outside dependencies given (tests swap the DNS resolver). */
export function createStoreSubgraph(options: StoreSubgraphOptions): SubgraphDefinition<SubgraphContext> {
  return {
    name: 'store',
    typeDefs: loadSubgraphSdl('store'),
    resolvers,
    createContext: (base) => createContext(base, options.dnsResolver),
  };
}

/** The store subgraph: sellers, stores, staff, domains, shipping and tax, and the `node` entry point. */
export const storeSubgraph: SubgraphDefinition<SubgraphContext> = createStoreSubgraph({ dnsResolver: nodeDnsResolver() });
