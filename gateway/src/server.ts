import type { StorefrontCacheOptions } from './storefront-cache-settings.js';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer, type HeaderMap } from '@apollo/server';
import { publicJwks } from '@commerce/auth';
import type { Database, PrismaClient } from '@commerce/database';
import {
  databaseAnswers,
  formatError,
  listen,
  requestRecordPlugin,
  SCHEMA_DIRECTORY,
  type RunningServer,
} from '@commerce/graphql-kit';
import { followAppChanges, subgraphAuthorization } from './app-credentials.js';
import { storefrontUrlFromEnvironment } from '@commerce/customer/follower-mail';
import { storeSettingsFromEnvironment } from '@commerce/store/settings';
import { browserConfigFromEnvironment, type BrowserConfig } from './browser-config.js';
import { createBrowserEdge } from './browser-edge.js';
import {
  persistedQueriesConfigFromEnvironment,
  realtimeConfigFromEnvironment,
  type PersistedQueriesConfig,
  type RealtimeConfig,
  type SubgraphName,
} from './config.js';
import { keepApolloTelemetryOffUnlessAsked } from './apollo-telemetry.js';
import { observeGateway, timeSubgraphFetches } from './gateway-metrics.js';
import { createPersistedQueries } from './persisted-queries/index.js';
import {
  createProtection,
  protectionConfigFromEnvironment,
  type Protection,
  type ProtectionConfig,
} from './protection/index.js';
import { startRealtime, type Realtime, type WebhookStartOptions } from './realtime.js';
import {
  createQueryCostProtection,
  queryCostConfigFromEnvironment,
  type QueryCostConfig,
} from './protection/query-cost.js';
import { CachedAnswerReplay } from './cached-answer-replay.js';
import { StorefrontResponseCache, storefrontResponseCachePlugin, stringifyWithCachedData } from './response-cache.js';

/** The client's request headers, forwarded to subgraphs, and its address (rate limits). */
interface GatewayContext {
  headers: HeaderMap;
  clientAddress?: string;
  /** An app token's exchange for the subgraphs (app-credentials.ts), once per request. */
  appAuthorization?: Promise<string | null>;
}

/**
 * Headers a subgraph needs to know who is calling, for which store and in which language and
 * currency, and the request's id for its log lines.
 */
const FORWARDED_HEADERS = ['authorization', 'x-store', 'accept-language', 'x-currency', 'x-request-id'];

/** How the gateway's data sources fetch. */
type Fetcher = RemoteGraphQLDataSource['fetcher'];

/** A subgraph served in this process: the gateway calls it without a socket (RunningServer.fetch). */
export type InProcessSubgraph = Pick<RunningServer, 'fetch'>;

export interface GatewayOptions {
  subgraphUrls: Record<SubgraphName, string>;
  /** Subgraphs running in this process, called without HTTP (the all-in-one graph); the others are called at their URLs. */
  inProcessSubgraphs?: Partial<Record<SubgraphName, InProcessSubgraph>>;
  /** The process's database handle (/readyz, CORS, callers, subscriptions). */
  database: Database;
  port: number;
  host?: string;
  /** Cache anonymous storefront queries (off when omitted, as in tests; see response-cache.ts). */
  storefrontCache?: StorefrontCacheOptions;
  /** Events and subscriptions; unset fields come from the environment (realtimeConfigFromEnvironment). */
  realtime?: Partial<RealtimeConfig>;
  /** APQ and trusted documents; unset fields come from the environment (persistedQueriesConfigFromEnvironment). */
  persistedQueries?: Partial<PersistedQueriesConfig>;
  /** CORS, HTTP caching and the explorer; unset fields come from the environment (browserConfigFromEnvironment). */
  browser?: Partial<BrowserConfig>;
  /** Query limits and introspection; unset fields come from the environment (protectionConfigFromEnvironment). */
  protection?: Partial<ProtectionConfig>;
  /** Query cost and rate limits; unset fields come from the environment (queryCostConfigFromEnvironment). */
  queryCost?: Partial<QueryCostConfig>;
  /** Whether this process runs the outbox relay (default true): of several worker processes, only one does. */
  runsRelay?: boolean;
  /** Webhook delivery: the store subgraph's settings from the environment unless given. */
  webhooks?: Partial<WebhookStartOptions>;
  /** Where storefronts live, for the links of followers' new-product mail (STOREFRONT_URL unless given). */
  storefrontUrl?: string;
}

function buildGateway(
  subgraphUrls: Record<string, string>,
  inProcess: Partial<Record<string, InProcessSubgraph>>,
  protection: Protection,
  prisma: PrismaClient,
): ApolloGateway {
  keepApolloTelemetryOffUnlessAsked();
  return new ApolloGateway({
    supergraphSdl: readFileSync(`${SCHEMA_DIRECTORY}supergraph.graphql`, 'utf8'),
    buildService: ({ name, url }) =>
      protection.subgraph(
        timeSubgraphFetches(
          name,
          new RemoteGraphQLDataSource<GatewayContext>({
            url: subgraphUrls[name] ?? url,
            // The same request, headers and answer as over HTTP, without the socket and HTTP parsing.
            ...(inProcess[name] && { fetcher: inProcess[name].fetch as Fetcher }),
            async willSendRequest({ request, context }) {
              for (const header of FORWARDED_HEADERS) {
                const value = context.headers?.get(header);
                if (value) request.http?.headers.set(header, value);
              }
              const host = context.headers?.get('x-forwarded-host') ?? context.headers?.get('host');
              if (host) request.http?.headers.set('x-forwarded-host', host);
              if (context.headers) {
                const authorization = await subgraphAuthorization(prisma, context as GatewayContext);
                if (authorization) request.http?.headers.set('authorization', authorization);
              }
            },
          }),
        ),
      ),
  });
}

async function reachable(url: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(2_000) });
    return response.ok;
  } catch {
    return false;
  }
}

function routes(options: GatewayOptions) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/.well-known/jwks.json') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' });
      response.end(JSON.stringify(await publicJwks()));
      return true;
    }
    if (path === '/readyz') {
      const database = await databaseAnswers(options.database);
      const subgraphs = Object.fromEntries(
        await Promise.all(
          Object.entries(options.subgraphUrls).map(async ([name, url]) => [name, await reachable(url)] as const),
        ),
      );
      const ready = database && Object.values(subgraphs).every(Boolean);
      response.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ready, database, subgraphs }));
      return true;
    }
    return false;
  };
}

export interface RunningGateway extends RunningServer {
  /** Its event bus, outbox relay and subscription server. */
  realtime: Realtime;
}

/** Starts the gateway over the committed supergraph, at /graphql (HTTP and graphql-ws), with /healthz, /readyz and JWKS. */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const cache =
    options.storefrontCache &&
    new StorefrontResponseCache(options.storefrontCache.ttlSeconds * 1000, options.storefrontCache.maxEntries);
  const persisted = createPersistedQueries({ ...persistedQueriesConfigFromEnvironment(), ...options.persistedQueries });
  const browser = createBrowserEdge({ ...browserConfigFromEnvironment(), ...options.browser }, options.database.prisma);
  const protection = createProtection({ ...protectionConfigFromEnvironment(), ...options.protection });
  const supergraphSdl = readFileSync(`${SCHEMA_DIRECTORY}supergraph.graphql`, 'utf8');
  const cost = createQueryCostProtection(
    { ...queryCostConfigFromEnvironment(), ...options.queryCost },
    supergraphSdl,
    options.database.prisma,
  );
  const replay =
    cache &&
    new CachedAnswerReplay(cache, options.database.prisma, {
      charge: cost.chargeKnownAnswer,
      clientAddress: cost.clientAddress,
    });
  const server = new ApolloServer<GatewayContext>({
    gateway: buildGateway(options.subgraphUrls, options.inProcessSubgraphs ?? {}, protection, options.database.prisma),
    formatError: protection.formatError(formatError),
    ...protection.server,
    includeStacktraceInErrorResponses: false,
    persistedQueries: persisted.apq,
    // Credentials are bearer tokens, never cookies: see the README's "Browsers" section on CSRF.
    csrfPrevention: false,
    plugins: [
      requestRecordPlugin(),
      ...browser.plugins,
      protection.plugin,
      persisted.plugin,
      ...(cost.plugin ? [cost.plugin] : []),
      ...(cache ? [storefrontResponseCachePlugin(cache, options.database.prisma, replay)] : []),
    ],
    ...(cache && { stringifyResult: stringifyWithCachedData(cache) }),
    // Closed by its process on SIGINT/SIGTERM (see createSubgraphServer on why not by Apollo too).
    stopOnTerminationSignals: false,
  });
  const running = await listen(server, {
    port: options.port,
    host: options.host,
    context: async (headers, request) => ({ headers, clientAddress: request && cost.clientAddress(request) }),
    routes: async (request, response) => (await browser.route(request, response)) || routes(options)(request, response),
    name: 'gateway',
    ...(replay && { shortcut: replay }),
  });
  // graphql-ws on the same port and path, and the outbox relay that feeds it (DESIGN §8).
  const realtime = await startRealtime({
    httpServer: running.httpServer,
    apollo: server,
    database: options.database,
    config: { ...realtimeConfigFromEnvironment(), ...options.realtime },
    trustedDocuments: persisted.socketGate,
    protection: protection.socket,
    socketAdmission: cost.socketAdmission ?? undefined,
    clientAddress: cost.clientAddress,
    runsRelay: options.runsRelay ?? true,
    webhooks: {
      settings: options.webhooks?.settings ?? storeSettingsFromEnvironment(),
      resolver: options.webhooks?.resolver,
    },
    followerMail: { storefrontUrl: options.storefrontUrl ?? storefrontUrlFromEnvironment() },
  });
  // The cache hears of storefront changes through the events the relay publishes.
  await cache?.follow(realtime.bus, realtime.relayPulse);
  const stopFollowingApps = await followAppChanges(realtime.bus);
  const stopObserving = observeGateway(options.database.prisma, realtime);
  return {
    ...running,
    realtime,
    // In the order of a drain: unready and no new connections, requests in flight answered,
    // subscription sockets closed (1001), the relay's last batch, then what the requests used.
    async close(stop) {
      stopObserving();
      await running.drain(stop);
      cache?.stop();
      stopFollowingApps();
      await realtime.close();
      await running.close(stop);
      await persisted.close();
      await cost.close();
    },
  };
}
