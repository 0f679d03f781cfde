import { inject } from 'vitest';
import { createPrisma, type PrismaClient } from '@commerce/database';
import { startGraph, type RunningGraph } from '@commerce/gateway/all-in-one';
import { GraphClient } from './client.js';

export interface TestGraph {
  graph: RunningGraph;
  client: GraphClient;
  /** The app role's client, as the services use it (row-level security applies). */
  prisma: PrismaClient;
  close(): Promise<void>;
}

export interface TestGraphOptions {
  /** Turn on the gateway's storefront response cache (off by default: tests read their own writes at once). */
  storefrontCache?: boolean;
}

/** Starts the gateway and the five subgraphs on free ports over this run's database. */
export async function startTestGraph(options: TestGraphOptions = {}): Promise<TestGraph> {
  const prisma = createPrisma({ connectionString: inject('appDatabaseUrl'), poolSize: 10 });
  const graph = await startGraph({
    prisma,
    host: '127.0.0.1',
    storefrontCache: options.storefrontCache ? { databaseUrl: inject('appDatabaseUrl'), ttlSeconds: 60, maxEntries: 1000 } : undefined,
  });
  return {
    graph,
    client: new GraphClient(graph.url),
    prisma,
    async close() {
      await graph.close();
      await prisma.$disconnect();
    },
  };
}

/** A Prisma client as the database owner (no row-level security), for arranging and inspecting data. */
export function ownerPrisma(): PrismaClient {
  return createPrisma({ connectionString: inject('databaseUrl'), poolSize: 4 });
}

/** A Prisma client as the app role (row-level security applies). */
export function appPrisma(): PrismaClient {
  return createPrisma({ connectionString: inject('appDatabaseUrl'), poolSize: 4 });
}
