// The entry of a graph process (see graph-process.ts): the gateway and five subgraphs on
// DATABASE_URL, plus a stats server answering the SQL statements this process has sent so far
// and the CPU time it has used. It tells its parent { url, statsUrl } once it serves, and drains
// and closes on SIGTERM as the real processes do (SHUTDOWN_GRACE_SECONDS). With WEB_CONCURRENCY
// above 1 the graph runs in that many worker processes, as `pnpm start` runs it; this process is
// their primary, and its stats are the sum of theirs and its own.
import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
import { appDatabaseUrl, databasePoolSize, openDatabase, processStatementCount } from '@commerce/database';
import { storefrontCacheFromEnvironment } from '@commerce/gateway/storefront-cache-settings';
import { startGraph } from '@commerce/gateway/all-in-one';
import { onStopSignals, shutdownGraceMs } from '@commerce/graphql-kit';
import {
  announceServing,
  SOLE_PROCESS,
  graphWorkerNodeOptions,
  startWorkers,
  workerCount,
  workerRole,
  type WorkerRole,
} from '@commerce/workers';

interface Stats {
  statements: number;
  cpuMicroseconds: number;
}

/** A worker's gateway URL, sent to the primary once it serves. */
const GRAPH_URL = 'graph-process:url';
/** The primary asks a worker for its stats, and it answers. */
const STATS_REQUEST = 'graph-process:stats-request';
const STATS = 'graph-process:stats';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is required');
const graceMs = shutdownGraceMs();
const workers = workerCount(1);

function ownStats(): Stats {
  const cpu = process.cpuUsage();
  return { statements: processStatementCount.value, cpuMicroseconds: cpu.user + cpu.system };
}

/** Starts the graph in this process; resolves with its URL and its stop. */
async function serveGraph(url: string, role: WorkerRole) {
  const appUrl = appDatabaseUrl(url);
  const database = openDatabase({ connectionString: appUrl, poolSize: databasePoolSize() });
  const graph = await startGraph({
    database,
    host: '127.0.0.1',
    storefrontCache: storefrontCacheFromEnvironment(),
    realtime: { relayDatabaseUrl: appUrl },
    runsBackgroundWork: role.runsBackgroundWork,
  });
  return {
    url: graph.url,
    async stop() {
      await graph.close({ graceMs });
      await database.disconnect();
    },
  };
}

/** V8's profiler in this process, started and stopped by the parent (POST /profile/start, /profile/stop). */
function profiler() {
  let session: Session | undefined;
  return async (step: string): Promise<unknown> => {
    if (step === 'start') {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
      return {};
    }
    if (!session) throw new Error('the profiler was not started');
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    session = undefined;
    return profile;
  };
}

/**
 * Serves `stats` on a free port of 127.0.0.1 and tells the parent where, with the graph's URL;
 * with `profile`, also the profiler's steps.
 */
async function reportToParent(url: string, stats: () => Promise<Stats>, profile?: ReturnType<typeof profiler>) {
  const server = createServer((request, response) => {
    const step = /^\/profile\/(start|stop)$/.exec(request.url ?? '')?.[1];
    const answer = step && request.method === 'POST' && profile ? profile(step) : stats();
    answer.then(
      (figures) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(figures)),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  process.send?.({ url, statsUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/` });
  return server;
}

/** A worker's stats, asked over the cluster's channel. */
function workerStats(worker: Worker): Promise<Stats> {
  return new Promise((resolve) => {
    const listener = (message: { type?: string } & Stats) => {
      if (message.type !== STATS) return;
      worker.off('message', listener);
      resolve({ statements: message.statements, cpuMicroseconds: message.cpuMicroseconds });
    };
    worker.on('message', listener);
    worker.send({ type: STATS_REQUEST });
  });
}

if (cluster.isWorker) {
  const graph = await serveGraph(databaseUrl, await workerRole());
  process.on('message', (message: { type?: string }) => {
    if (message.type === STATS_REQUEST) process.send?.({ type: STATS, ...ownStats() });
  });
  onStopSignals(() => graph.stop(), graceMs);
  process.send?.({ type: GRAPH_URL, url: graph.url });
  announceServing();
} else if (workers === 1) {
  const graph = await serveGraph(databaseUrl, SOLE_PROCESS);
  const stats = await reportToParent(graph.url, async () => ownStats(), profiler());
  onStopSignals(async () => {
    await graph.stop();
    stats.close();
  }, graceMs);
} else {
  // Workers' port-0 servers share one port per server (the primary holds it): any worker's URL is theirs.
  const url = new Promise<string>((resolve) =>
    cluster.on('message', (_worker, message: { type?: string; url?: string }) => {
      if (message.type === GRAPH_URL && message.url) resolve(message.url);
    }),
  );
  const pool = startWorkers({ count: workers, graceMs, execArgv: graphWorkerNodeOptions() });
  onStopSignals(() => pool.stop(), graceMs);
  void pool.failed.then(async () => {
    await pool.stop();
    process.exit(1);
  });
  await pool.serving;
  await reportToParent(await url, async () => {
    const all = [
      ownStats(),
      ...(await Promise.all(
        Object.values(cluster.workers ?? {}).flatMap((worker) => (worker ? [workerStats(worker)] : [])),
      )),
    ];
    return {
      statements: all.reduce((sum, stats) => sum + stats.statements, 0),
      cpuMicroseconds: all.reduce((sum, stats) => sum + stats.cpuMicroseconds, 0),
    };
  });
}
