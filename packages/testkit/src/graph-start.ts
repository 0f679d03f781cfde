// How a test graph is started, without Vitest's run context: test files start their own through
// startTestGraph(), and the global set-up starts the run's shared one with the same settings.
import type { Database } from '@commerce/database';
import type { GraphOptions, RunningGraph } from '@commerce/gateway/all-in-one';

/**
 * Relay settings for tests that count SQL statements: no polling while they run. Commits still wake
 * the relay, in process and without a statement, and it works on a connection of its own, which
 * the counts leave out.
 */
export const QUIET_RELAY = { relayPollIntervalMs: 24 * 3_600_000 };

export interface TestGraphOptions {
  /** How the gateway calls the subgraphs (GraphOptions.subgraphTransport): in process unless 'http'. */
  subgraphTransport?: GraphOptions['subgraphTransport'];
  /** Turn on the gateway's storefront response cache (off by default: tests read their own writes at once). */
  storefrontCache?: boolean;
  /** Event and subscription settings over testRealtime()'s (this run's Redis channels, LISTEN on the database). */
  realtime?: GraphOptions['realtime'];
  /** Persisted-query settings over this run's Redis keys. */
  persistedQueries?: GraphOptions['persistedQueries'];
  /** Query limits and introspection over the environment's. */
  protection?: GraphOptions['protection'];
  /** The app role's URL of another database than this run's (see createIsolatedDatabase). */
  appDatabaseUrl?: string;
  /** DNS as the test publishes it, for custom-domain verification. */
  dnsResolver?: GraphOptions['dnsResolver'];
  /** CORS, HTTP caching and the explorer (the environment's settings unless given). */
  browser?: GraphOptions['browser'];
  /** Query cost and rate limits over ROOMY_RATE_LIMITS (this run's Redis keys). */
  queryCost?: GraphOptions['queryCost'];
  /** The subgraphs' own settings, where a test needs others than the environment's. */
  subgraphSettings?: GraphOptions['subgraphSettings'];
  /** DNS as the test publishes it, for the webhook address checks. */
  webhookResolver?: GraphOptions['webhookResolver'];
}

/**
 * Buckets no test fills: tests of other behaviour send bursts from one address and one store that
 * no storefront would; the rate limits' own tests set theirs. The cost is still computed and reported.
 */
export const ROOMY_RATE_LIMITS = {
  anonymous: { maximumAvailable: 1_000_000, restoreRate: 1_000_000 },
  customer: { maximumAvailable: 1_000_000, restoreRate: 1_000_000 },
  staff: { maximumAvailable: 1_000_000, restoreRate: 1_000_000 },
};

/** The Redis of the tests and a key prefix unique to the run whose database (owner URL) is given. */
export function realtimeOf(runDatabaseUrl: string): { redisUrl: string; keyPrefix: string } {
  const database = new URL(runDatabaseUrl).pathname.slice(1);
  return { redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379', keyPrefix: `commerce-test:${database}:` };
}

/** Starts the gateway and the five subgraphs on free ports, over `appUrl` through `database`, with the tests' settings. */
export async function startGraphOver(
  database: Database,
  appUrl: string,
  realtime: { redisUrl: string; keyPrefix: string },
  options: TestGraphOptions = {},
): Promise<RunningGraph> {
  // Loaded when a graph starts: most test files use the shared one and need none of its modules.
  const { startGraph } = await import('@commerce/gateway/all-in-one');
  return startGraph({
    database,
    host: '127.0.0.1',
    storefrontCache: options.storefrontCache ? { ttlSeconds: 60, maxEntries: 1000 } : undefined,
    realtime: { ...realtime, relayDatabaseUrl: appUrl, ...options.realtime },
    persistedQueries: { ...realtime, ...options.persistedQueries },
    protection: options.protection,
    queryCost: { ...realtime, buckets: ROOMY_RATE_LIMITS, ...options.queryCost },
    dnsResolver: options.dnsResolver,
    subgraphTransport: options.subgraphTransport,
    browser: options.browser,
    subgraphSettings: options.subgraphSettings,
    webhookResolver: options.webhookResolver,
  });
}
