import { inject } from 'vitest';
import { openDatabase, type Database, type PrismaClient } from '@commerce/database';
import type { RunningGraph } from '@commerce/gateway/all-in-one';
import { GraphClient } from './client.js';
import { realtimeOf, startGraphOver, type TestGraphOptions } from './graph-start.js';
import { copyDatabase } from './throwaway-database.js';

export { QUIET_RELAY, ROOMY_RATE_LIMITS, type TestGraphOptions } from './graph-start.js';

/** A graph a test file talks to: its gateway's URL, a client of it, and the app role's database handle. */
export interface SharedTestGraph {
  /** The gateway's /graphql. */
  url: string;
  client: GraphClient;
  /** The app role's database handle, as the services use it (row-level security applies). */
  database: Database;
  close(): Promise<void>;
}

/** A graph started by and for one test file, in its process. */
export interface TestGraph extends SharedTestGraph {
  graph: RunningGraph;
}

/**
 * The run's graph, started once by the global set-up with the settings startTestGraph() has by
 * default: every test arranges its own store, so files share it safely. A file that needs other
 * settings, the graph's internals or its process's statement count starts its own (startTestGraph).
 * close() closes only this file's database handle.
 */
export async function sharedTestGraph(): Promise<SharedTestGraph> {
  const url = inject('graphUrl');
  const database = openDatabase({ connectionString: inject('appDatabaseUrl'), poolSize: 4 });
  return { url, client: new GraphClient(url), database, close: () => database.disconnect() };
}

/**
 * The Redis of the tests (REDIS_URL, else the machine's 127.0.0.1:6379) and a key prefix unique
 * to this run: every gateway of the run shares one event bus, as replicas do, and parallel runs
 * never see each other's events or persisted queries.
 */
export function testRealtime(): { redisUrl: string; keyPrefix: string } {
  return realtimeOf(inject('databaseUrl'));
}

/**
 * A migrated database of its own, on the run's server, for a test whose outbox must not be shared
 * with the run's other relays (events without Redis, pruning). Drop it when done.
 */
export function createIsolatedDatabase(): Promise<{ url: string; appUrl: string; drop(): Promise<void> }> {
  return copyDatabase({ url: inject('databaseUrl'), templateUrl: inject('templateDatabaseUrl') });
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
 * tests, or whose relay must be the only one. close() drops the database.
 */
export async function startIsolatedTestGraph(
  options: Pick<TestGraphOptions, 'storefrontCache' | 'realtime' | 'subgraphSettings' | 'webhookResolver'> = {},
): Promise<IsolatedTestGraph> {
  const database = await createIsolatedDatabase();
  const graph = await startTestGraph({
    appDatabaseUrl: database.appUrl,
    storefrontCache: options.storefrontCache,
    subgraphSettings: options.subgraphSettings,
    webhookResolver: options.webhookResolver,
    realtime: { redisUrl: null, ...options.realtime },
    persistedQueries: { redisUrl: null },
  }).catch(async (error: unknown) => {
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

/** Starts the gateway and the five subgraphs on free ports over this run's database, in this process. */
export async function startTestGraph(options: TestGraphOptions = {}): Promise<TestGraph> {
  const appUrl = options.appDatabaseUrl ?? inject('appDatabaseUrl');
  const database = openDatabase({ connectionString: appUrl, poolSize: 10 });
  const graph = await startGraphOver(database, appUrl, realtimeOf(inject('databaseUrl')), options).catch(
    async (error: unknown) => {
      await database.disconnect();
      throw error;
    },
  );
  return {
    graph,
    url: graph.url,
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
