import type { RequestContext } from '@commerce/graphql-kit';
import type { DnsResolver } from './dns-resolver.js';
import { createLoaders, type StoreLoaders } from './loaders.js';
import type { StoreSettings } from './settings.js';

/** The store subgraph's request context. */
export interface SubgraphContext extends RequestContext {
  loaders: StoreLoaders;
  settings: StoreSettings;
  /** How custom domains are verified (the system's DNS, or a stand-in in tests). */
  dns: DnsResolver;
}

/** What every request of one store subgraph shares. */
export interface StoreSubgraphParts {
  settings: StoreSettings;
  dns: DnsResolver;
}

/** Adds this subgraph's loaders, settings, and DNS resolver to the common request context. */
export function createContext(base: RequestContext, { settings, dns }: StoreSubgraphParts): SubgraphContext {
  return { ...base, loaders: createLoaders(base), settings, dns };
}
