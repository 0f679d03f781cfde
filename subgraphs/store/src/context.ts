import type { RequestContext } from '@commerce/graphql-kit';
import { mailerFromEnvironment, type Mailer } from '@commerce/mail';
import type { DnsResolver } from './dns-resolver.js';
import { createLoaders, type StoreLoaders } from './loaders.js';

/** The store subgraph's request context. */
export interface SubgraphContext extends RequestContext {
  loaders: StoreLoaders;
  /** How custom domains are verified (the system's DNS, or a stand-in in tests). */
  dns: DnsResolver;
  /** Staff invitations go out through it. */
  mailer: Mailer;
}

/** Adds this subgraph's loaders, DNS resolver and mailer to the common request context. */
export function createContext(base: RequestContext, dns: DnsResolver): SubgraphContext {
  return { ...base, loaders: createLoaders(base), dns, mailer: mailerFromEnvironment(base.db) };
}
