import cluster from 'node:cluster';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { DocumentNode } from 'graphql';
import { signingKeys } from '@commerce/auth';
import { assertPortFree, openDatabase, type Database } from '@commerce/database';
import { formatError } from './errors.js';
import { resolveRequestContext, type RequestContext } from './context.js';
import { listen, type RunningServer } from './http-server.js';
import { requestRecordPlugin } from './request-log.js';
import { logger } from '@commerce/observability';
import { databaseReadiness } from './readiness.js';
import { serveInWorkers } from './serve-in-workers.js';
import { subgraphSettingsFromEnvironment } from './subgraph-settings.js';

export interface SubgraphDefinition<Context extends RequestContext> {
  /** Its name in the supergraph, in log lines and metrics. */
  name: string;
  typeDefs: DocumentNode;
  resolvers: object;
  /** Adds the subgraph's own per-request parts (its DataLoaders) to the common context. */
  createContext(base: RequestContext): Context;
  /** Work the subgraph does on its own while it serves (a periodic cleanup), stopped when it closes. */
  background?(database: Database): BackgroundJob;
  /** Work done once before it serves (making what its first requests would otherwise pay for). */
  prepare?(): Promise<void>;
}

/** Work done beside serving requests. */
export interface BackgroundJob {
  /** Stops it and waits for a run under way to end. */
  stop(): Promise<void>;
}

/** Builds a subgraph's Apollo Server (no side effects; tests and the HTTP entry point share it). */
export function createSubgraphServer<Context extends RequestContext>(
  definition: SubgraphDefinition<Context>,
): ApolloServer<Context> {
  return new ApolloServer<Context>({
    schema: buildSubgraphSchema({
      typeDefs: definition.typeDefs,
      resolvers: definition.resolvers as GraphQLResolverMap<unknown>,
    }),
    formatError,
    includeStacktraceInErrorResponses: false,
    // No schema carries @cacheControl and the gateway sets its answers' Cache-Control itself
    // (http-caching.ts): Apollo's cache-control plugin would only wrap every resolver of every
    // request to compute a policy that is always no-store and that nothing reads.
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled(), requestRecordPlugin()],
    // The processes close their servers themselves on SIGINT/SIGTERM. Apollo's own handler would
    // call stop() a second time, concurrently, and in Apollo Server 5 a concurrent stop() never
    // returns once the first one succeeds (its barrier is resolved on failure only).
    stopOnTerminationSignals: false,
  });
}

export interface StartSubgraphOptions {
  /**
   * Whether this process runs the subgraph's background work (default true): of several worker
   * processes, only one does (WorkerRole.runsBackgroundWork).
   */
  runsBackgroundWork?: boolean;
}

/** Starts a subgraph over HTTP (port 0 picks a free port), with its background work. */
export async function startSubgraph<Context extends RequestContext>(
  definition: SubgraphDefinition<Context>,
  database: Database,
  port: number,
  host?: string,
  { runsBackgroundWork = true }: StartSubgraphOptions = {},
): Promise<RunningServer> {
  await definition.prepare?.();
  const server = await serveSubgraph(definition, database, port, host);
  const job = runsBackgroundWork ? definition.background?.(database) : undefined;
  if (!job) return server;
  return {
    ...server,
    // Requests in flight finish before the job stops, so that the job's last run never races them.
    async close(stop) {
      await server.drain(stop);
      await job.stop();
      await server.close(stop);
    },
  };
}

function serveSubgraph<Context extends RequestContext>(
  definition: SubgraphDefinition<Context>,
  database: Database,
  port: number,
  host?: string,
): Promise<RunningServer> {
  const server = createSubgraphServer(definition);
  return listen(server, {
    port,
    host,
    context: async (headers) => definition.createContext(await resolveRequestContext(database, headers)),
    routes: databaseReadiness(database),
    // The gateway passes a subgraph's errors on only from a 200 response; a 400 (bad variables)
    // would reach the client as an opaque internal error instead of BAD_USER_INPUT.
    errorsAsOk: true,
    name: definition.name,
  });
}

/**
 * Runs a subgraph as its own process (docker-compose) on PORT, else `defaultPort`: DATABASE_URL
 * names the database (the app role's credentials are used). Its settings are validated and its
 * port checked before it connects; WEB_CONCURRENCY worker processes serve (serveInWorkers), each
 * with its own pool, worker 1 alone running the background work; SIGINT/SIGTERM drain each, stop
 * its background work, then close its database pool.
 */
export async function runSubgraphProcess<Context extends RequestContext>(
  name: string,
  definition: SubgraphDefinition<Context>,
  defaultPort: number,
): Promise<void> {
  const settings = subgraphSettingsFromEnvironment(defaultPort);
  await signingKeys();
  // The primary holds the port for its workers: it checks it once, before forking them.
  if (!cluster.isWorker) await assertPortFree(settings.port, '0.0.0.0', 'PORT');
  await serveInWorkers({
    workers: settings.workers,
    graceMs: settings.shutdownGraceMs,
    async serve(role) {
      const database = openDatabase({ connectionString: settings.appDatabaseUrl, poolSize: settings.poolSize });
      const server = await startSubgraph(definition, database, settings.port, undefined, {
        runsBackgroundWork: role.runsBackgroundWork,
      });
      logger.info({ service: name, url: server.url }, `${name} subgraph listening on ${server.url}`);
      return async () => {
        await server.close({ graceMs: settings.shutdownGraceMs });
        await database.disconnect();
      };
    },
  });
}
