import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { appDatabaseUrl, createDatabase, dropDatabase, migrate, openDatabase, type Database, type PrismaClient } from '@commerce/database';
import { startGraph, type GraphOptions, type RunningGraph } from '@commerce/gateway/all-in-one';
import { GraphClient } from './client.js';

export interface TestGraph {
  graph: RunningGraph;
  client: GraphClient;
  /** The app role's database handle, as the services use it (row-level security applies). */
  database: Database;
  close(): Promise<void>;
}

/** Relay settings for tests that count SQL statements: no LISTEN wake-ups, no polling while they run. */
export const QUIET_RELAY = { listenDatabaseUrl: null, relayPollIntervalMs: 24 * 3_600_000 };

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

/**
 * The Redis of the tests (REDIS_URL, else the machine's 127.0.0.1:6379) and a key prefix unique
 * to this run: every gateway of the run shares one event bus, as replicas do, and parallel runs
 * never see each other's events or persisted queries.
 */
export function testRealtime(): { redisUrl: string; keyPrefix: string } {
  const database = new URL(inject('databaseUrl')).pathname.slice(1);
  return { redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379', keyPrefix: `commerce-test:${database}:` };
}

/**
 * A migrated database of its own, on the run's server, for a test whose outbox must not be shared
 * with the run's other relays (events without Redis, pruning). Drop it when done.
 */
export async function createIsolatedDatabase(): Promise<{ url: string; appUrl: string; drop(): Promise<void> }> {
  const runUrl = inject('databaseUrl');
  const name = `${new URL(runUrl).pathname.slice(1)}_${randomUUID().slice(0, 8)}`;
  await createDatabase(runUrl, name);
  const url = new URL(runUrl);
  url.pathname = `/${name}`;
  try {
    await migrate(url.toString());
  } catch (error) {
    await dropDatabase(runUrl, name);
    throw error;
  }
  return { url: url.toString(), appUrl: appDatabaseUrl(url.toString()), drop: () => dropDatabase(runUrl, name) };
}

/** A graph over a database of its own, and that database's owner. */
export interface IsolatedTestGraph extends TestGraph {
  /** The database's owner URL (for a graph process of its own: forkGraph). */
  databaseUrl: string;
  /** The database owner's client (no row-level security), for arranging and inspecting data. */
  owner: PrismaClient;
}

/**
 * The graph over a migrated database of its own (createIsolatedDatabase), events in process (no
 * Redis): for a test whose outbox, carts or sessions must not be shared with the run's other
 * tests. close() drops the database.
 */
export async function startIsolatedTestGraph(): Promise<IsolatedTestGraph> {
  const database = await createIsolatedDatabase();
  const graph = await startTestGraph({ appDatabaseUrl: database.appUrl, realtime: { redisUrl: null }, persistedQueries: { redisUrl: null } }).catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  const owner = openDatabase({ connectionString: database.url, poolSize: 4 }).prisma;
  return {
    ...graph,
    databaseUrl: database.url,
    owner,
    async close() {
      await owner.$disconnect();
      await graph.close();
      await database.drop();
    },
  };
}

/** Starts the gateway and the five subgraphs on free ports over this run's database. */
export async function startTestGraph(options: TestGraphOptions = {}): Promise<TestGraph> {
  const appUrl = options.appDatabaseUrl ?? inject('appDatabaseUrl');
  const database = openDatabase({ connectionString: appUrl, poolSize: 10 });
  const graph = await startGraph({
    database,
    host: '127.0.0.1',
    storefrontCache: options.storefrontCache ? { databaseUrl: appUrl, ttlSeconds: 60, maxEntries: 1000 } : undefined,
    realtime: { ...testRealtime(), relayDatabaseUrl: appUrl, ...options.realtime },
    persistedQueries: { ...testRealtime(), ...options.persistedQueries },
    protection: options.protection,
    queryCost: { ...testRealtime(), buckets: ROOMY_RATE_LIMITS, ...options.queryCost },
    dnsResolver: options.dnsResolver,
    subgraphTransport: options.subgraphTransport,
    browser: options.browser,
  });
  return {
    graph,
    client: new GraphClient(graph.url),
    database,
    async close() {
      await graph.close();
      await database.disconnect();
    },
  };
}

/** A Prisma client as the database owner (no row-level security), for arranging and inspecting data. */
export function ownerPrisma(): PrismaClient {
  return openDatabase({ connectionString: inject('databaseUrl'), poolSize: 4 }).prisma;
}

/** A database handle as the app role (row-level security applies), as the services have it. */
export function appDatabase(): Database {
  return openDatabase({ connectionString: inject('appDatabaseUrl'), poolSize: 4 });
}
