import type { Database } from '@commerce/database';
import { startSubgraph, type RunningServer, type StopOptions } from '@commerce/graphql-kit';
import { analyticsSubgraph } from '@commerce/analytics';
import { catalogSubgraph } from '@commerce/catalog';
import { createCustomerSubgraph, type CustomerSettings } from '@commerce/customer';
import { createOrderSubgraph, type OrderSettings } from '@commerce/order';
import { createStoreSubgraph, type AddressResolver, type DnsResolver, type StoreSettings } from '@commerce/store';
import { storeSettingsFromEnvironment } from '@commerce/store/settings';
import { SUBGRAPHS, type PersistedQueriesConfig, type RealtimeConfig, type SubgraphName } from './config.js';
import type { ProtectionConfig } from './protection/index.js';
import type { QueryCostConfig } from './protection/query-cost.js';
import type { Realtime } from './realtime.js';
import { startGateway, type GatewayOptions } from './server.js';
import type { StorefrontCacheOptions } from './storefront-cache-settings.js';

export interface RunningGraph {
  /** The gateway's /graphql URL. */
  url: string;
  subgraphUrls: Record<SubgraphName, string>;
  /** The gateway's event bus, outbox relay and subscription server. */
  realtime: Realtime;
  /** Drains the gateway (see RunningServer.drain), then the subgraphs, within one grace. */
  close(options?: StopOptions): Promise<void>;
}

export interface GraphOptions {
  /** The process's database handle, shared by the gateway and the subgraphs. */
  database: Database;
  /** 0 (default) picks free ports, as tests do. */
  gatewayPort?: number;
  subgraphPorts?: Partial<Record<SubgraphName, number>>;
  host?: string;
  storefrontCache?: StorefrontCacheOptions;
  /**
   * Events and subscriptions (see GatewayOptions.realtime); set relayDatabaseUrl (the app role's URL)
   * so that the outbox relay works on a connection of its own and LISTENs for wake-ups from other processes.
   */
  realtime?: Partial<RealtimeConfig>;
  persistedQueries?: Partial<PersistedQueriesConfig>;
  /** CORS, HTTP caching and the explorer (see GatewayOptions.browser). */
  browser?: GatewayOptions['browser'];
  /** Query limits and introspection (see GatewayOptions.protection). */
  protection?: Partial<ProtectionConfig>;
  /** Query cost and rate limits (see GatewayOptions.queryCost). */
  queryCost?: Partial<QueryCostConfig>;
  /**
   * How the gateway calls the subgraphs: 'in-process' (default) hands each request to the subgraph's
   * server in this process, with the same headers and answer as over HTTP but no socket; 'http'
   * calls their URLs, as separate deployments do. The subgraphs listen on their ports either way.
   */
  subgraphTransport?: 'in-process' | 'http';
  /** How the store subgraph verifies custom domains; the system's DNS unless given (tests publish their own records). */
  dnsResolver?: DnsResolver;
  /** Resolves webhook hosts for their address checks (store subgraph and dispatcher); the system's unless given. */
  webhookResolver?: AddressResolver;
  /** The subgraphs' own settings, read with the process's other settings; from the environment where not given. */
  subgraphSettings?: { order?: OrderSettings; customer?: CustomerSettings; store?: StoreSettings };
  /**
   * Whether this process runs the deployment's background work, the outbox relay, the cart
   * sweeper and the mail sender (default true): of several worker processes, only one does.
   */
  runsBackgroundWork?: boolean;
}

/** Runs the five subgraphs and the gateway in this process: the embedded default and the tests. */
export async function startGraph(options: GraphOptions): Promise<RunningGraph> {
  const { database, host } = options;
  const background = { runsBackgroundWork: options.runsBackgroundWork ?? true };
  const storeSettings = options.subgraphSettings?.store ?? storeSettingsFromEnvironment();
  const started: Record<SubgraphName, RunningServer> = {
    store: await startSubgraph(
      createStoreSubgraph({
        settings: storeSettings,
        dnsResolver: options.dnsResolver,
        webhookResolver: options.webhookResolver,
      }),
      database,
      options.subgraphPorts?.store ?? 0,
      host,
      background,
    ),
    catalog: await startSubgraph(catalogSubgraph, database, options.subgraphPorts?.catalog ?? 0, host, background),
    customer: await startSubgraph(
      createCustomerSubgraph(options.subgraphSettings?.customer),
      database,
      options.subgraphPorts?.customer ?? 0,
      host,
      background,
    ),
    order: await startSubgraph(
      createOrderSubgraph(options.subgraphSettings?.order),
      database,
      options.subgraphPorts?.order ?? 0,
      host,
      background,
    ),
    analytics: await startSubgraph(
      analyticsSubgraph,
      database,
      options.subgraphPorts?.analytics ?? 0,
      host,
      background,
    ),
  };
  const subgraphUrls = Object.fromEntries(SUBGRAPHS.map((name) => [name, started[name].url])) as Record<
    SubgraphName,
    string
  >;
  const inProcessSubgraphs = options.subgraphTransport === 'http' ? {} : started;
  const gateway = await startGateway({
    subgraphUrls,
    inProcessSubgraphs,
    database,
    port: options.gatewayPort ?? 0,
    host,
    storefrontCache: options.storefrontCache,
    realtime: options.realtime,
    persistedQueries: options.persistedQueries,
    browser: options.browser,
    protection: options.protection,
    queryCost: options.queryCost,
    runsRelay: background.runsBackgroundWork,
    webhooks: { settings: storeSettings, resolver: options.webhookResolver },
    storefrontUrl: options.subgraphSettings?.customer?.storefrontUrl,
  });
  return {
    url: gateway.url,
    subgraphUrls,
    realtime: gateway.realtime,
    async close(stop = {}) {
      const deadline = stop.graceMs === undefined ? undefined : Date.now() + stop.graceMs;
      await gateway.close(stop);
      const rest = deadline === undefined ? {} : { graceMs: Math.max(deadline - Date.now(), 0) };
      await Promise.all(Object.values(started).map((server) => server.close(rest)));
    },
  };
}
