import { preparePasswordChecks } from '@commerce/auth';
import { loadSubgraphSdl, type SubgraphDefinition } from '@commerce/graphql-kit';
import { startMailSender } from '@commerce/mail';
import { createContext, type SubgraphContext } from './context.js';
import { nodeDnsResolver, type DnsResolver } from './dns-resolver.js';
import { resolvers } from './resolvers/index.js';
import { storeSettingsFromEnvironment, type StoreSettings } from './settings.js';
import { systemResolver, type AddressResolver } from './webhooks/target-guard.js';

export type { DnsResolver } from './dns-resolver.js';
export type { AddressResolver } from './webhooks/target-guard.js';
export { storeSettingsFromEnvironment, type StoreSettings } from './settings.js';

export interface StoreSubgraphOptions {
  /** Its settings; read from the environment, once, here, unless given. */
  settings?: StoreSettings;
  /** Verifies custom domains: the system's DNS unless given (tests pass a stand-in so that no real DNS is asked). */
  dnsResolver?: DnsResolver;
  /** Resolves webhook hosts for the address check: the system's resolver unless given. */
  webhookResolver?: AddressResolver;
}

/** The store subgraph: sellers, stores, staff, domains, shipping and tax, and the `node` entry point. */
export function createStoreSubgraph(options: StoreSubgraphOptions = {}): SubgraphDefinition<SubgraphContext> {
  const settings = options.settings ?? storeSettingsFromEnvironment();
  const parts = {
    settings,
    dns: options.dnsResolver ?? nodeDnsResolver(),
    webhookResolver: options.webhookResolver ?? systemResolver,
  };
  return {
    name: 'store',
    typeDefs: loadSubgraphSdl('store'),
    resolvers,
    createContext: (base) => createContext(base, parts),
    // Staff mails are written to the mail outbox; its sender runs where the background work runs.
    background: (database) => startMailSender(database, settings.mail),
    // Log-ins check unknown emails against a decoy hash: made before the first one, not during it.
    prepare: preparePasswordChecks,
  };
}
