import type { RequestContext } from '@commerce/graphql-kit';
import type { DnsResolver } from './dns-resolver.js';
import { createLoaders, type StoreLoaders } from './loaders.js';
import type { StoreSettings } from './settings.js';
import type { AddressResolver } from './webhooks/target-guard.js';

/** The store subgraph's request context. */
export interface SubgraphContext extends RequestContext {
  loaders: StoreLoaders;
  settings: StoreSettings;
  /** How custom domains are verified (the system's DNS, or a stand-in in tests). */
  dns: DnsResolver;
  /** Resolves webhook hosts for the address check (the system's DNS, or a stand-in in tests). */
  webhookResolver: AddressResolver;
}

/** What every request of one store subgraph shares. */
export interface StoreSubgraphParts {
  settings: StoreSettings;
  dns: DnsResolver;
  webhookResolver: AddressResolver;
}

/** Adds this subgraph's loaders, settings and resolvers to the common request context. */
export function createContext(
  base: RequestContext,
  { settings, dns, webhookResolver }: StoreSubgraphParts,
): SubgraphContext {
  return { ...base, loaders: createLoaders(base), settings, dns, webhookResolver };
}
