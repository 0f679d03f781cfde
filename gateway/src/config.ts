import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listSetting, numberSetting } from '@commerce/database';

/** The subgraphs the gateway routes to, by the names in the supergraph. */
export const SUBGRAPHS = ['store', 'catalog', 'customer', 'order', 'analytics'] as const;
export type SubgraphName = (typeof SUBGRAPHS)[number];

/** Default port of each subgraph when run as its own process. */
export const SUBGRAPH_PORTS: Record<SubgraphName, number> = {
  store: 4001,
  catalog: 4002,
  customer: 4003,
  order: 4004,
  analytics: 4005,
};

/** The environment variable that overrides a subgraph's URL at the gateway, e.g. CATALOG_SUBGRAPH_URL. */
export function subgraphUrlVariable(name: SubgraphName): string {
  return `${name.toUpperCase()}_SUBGRAPH_URL`;
}

/** Subgraph URLs from the environment, defaulting to localhost on the default ports. */
export function subgraphUrlsFromEnvironment(): Record<SubgraphName, string> {
  return Object.fromEntries(
    SUBGRAPHS.map((name) => [
      name,
      process.env[subgraphUrlVariable(name)] ?? `http://127.0.0.1:${SUBGRAPH_PORTS[name]}/graphql`,
    ]),
  ) as Record<SubgraphName, string>;
}

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Events and subscriptions (DESIGN §8). */
export interface RealtimeConfig {
  /** Redis for fanning events out to every gateway process; null keeps events in this process. */
  redisUrl: string | null;
  /** Prefix of the Redis channels and keys of this deployment. */
  keyPrefix: string;
  /**
   * The app role's connection string: the outbox relay's own connection (its reads and writes, and
   * LISTEN outbox_event for wake-ups from subgraphs in other processes); null: it works through the pool.
   */
  relayDatabaseUrl: string | null;
  /** Whether commits in this process that wrote events wake the relay at once (else it finds them by polling alone). */
  relayWakeOnCommit: boolean;
  /** How often the relay looks for unpublished events when not woken. */
  relayPollIntervalMs: number;
  /** How long published events stay in the outbox for replay. */
  outboxRetentionMs: number;
  /** Subscriptions one socket may hold at once. */
  maxSubscriptionsPerSocket: number;
  /** Sockets one client (a seller, a customer, or an address for anonymous sockets) may hold open. */
  maxSocketsPerClient: number;
  /** Interval of keep-alive pings; a socket that has not answered the previous one is closed. */
  keepAliveMs: number;
}

/** Automatic persisted queries and trusted documents (DESIGN §9). */
export interface PersistedQueriesConfig {
  /** Redis for the APQ cache; null: an in-memory cache per process. */
  redisUrl: string | null;
  keyPrefix: string;
  /** How long a registered APQ document is kept. */
  apqTtlSeconds: number;
  /** Trusted-document manifests ({ "sha256:<hex>": "<document>" }) loaded at start. */
  manifestPaths: string[];
  /** Clients (apollographql-client-name) that may run only documents of the manifests. */
  trustedDocumentClients: string[];
  /** Every client may run only documents of the manifests. */
  trustedDocumentsOnly: boolean;
}

/** Events and subscription settings from the environment, with their documented defaults. */
export function realtimeConfigFromEnvironment(): RealtimeConfig {
  return {
    redisUrl: process.env.REDIS_URL || null,
    keyPrefix: process.env.REDIS_KEY_PREFIX ?? 'commerce:',
    relayDatabaseUrl: null,
    relayWakeOnCommit: true,
    relayPollIntervalMs: numberSetting('OUTBOX_POLL_INTERVAL_MS', process.env.OUTBOX_POLL_INTERVAL_MS, 1_000),
    outboxRetentionMs: numberSetting('OUTBOX_RETENTION_HOURS', process.env.OUTBOX_RETENTION_HOURS, 168) * 3_600_000,
    maxSubscriptionsPerSocket: numberSetting(
      'SUBSCRIPTION_MAX_PER_SOCKET',
      process.env.SUBSCRIPTION_MAX_PER_SOCKET,
      20,
    ),
    maxSocketsPerClient: numberSetting(
      'SUBSCRIPTION_MAX_SOCKETS_PER_CLIENT',
      process.env.SUBSCRIPTION_MAX_SOCKETS_PER_CLIENT,
      25,
    ),
    keepAliveMs:
      numberSetting('SUBSCRIPTION_KEEPALIVE_SECONDS', process.env.SUBSCRIPTION_KEEPALIVE_SECONDS, 12) * 1_000,
  };
}

/** Persisted-query settings from the environment; manifest paths are relative to the repository. */
export function persistedQueriesConfigFromEnvironment(): PersistedQueriesConfig {
  const manifests = listSetting(process.env.TRUSTED_DOCUMENT_MANIFESTS, [
    'clients/admin/src/__generated__/persisted-documents.json',
  ]);
  return {
    redisUrl: process.env.REDIS_URL || null,
    keyPrefix: process.env.REDIS_KEY_PREFIX ?? 'commerce:',
    apqTtlSeconds: numberSetting('APQ_TTL_SECONDS', process.env.APQ_TTL_SECONDS, 86_400),
    manifestPaths: manifests.map((file) => path.resolve(REPOSITORY_ROOT, file)),
    trustedDocumentClients: listSetting(process.env.TRUSTED_DOCUMENT_CLIENTS, ['admin']),
    trustedDocumentsOnly: process.env.TRUSTED_DOCUMENTS_ONLY === 'true',
  };
}
