// The process of `pnpm start` (started by start.ts): the whole API on one machine. With
// DATABASE_URL unset it runs an embedded PostgreSQL under DATA_DIR (default .data/), migrates it,
// seeds the demo store and serves the gateway with all five subgraphs, in this process or, with
// WEB_CONCURRENCY above 1 (one per core by default), in that many worker processes that run this
// file too and share the ports; this process is then their primary. A second start reuses the data.
// First: a malformed setting read as the modules below load is reported in one line.
import '@commerce/database/startup-errors';
import cluster from 'node:cluster';
import { signingKeys } from '@commerce/auth';
import {
  appDatabaseUrl,
  assertPortFree,
  migrate,
  openDatabase,
  SettingError,
  startEmbeddedPostgres,
} from '@commerce/database';
import { onStopSignals } from '@commerce/graphql-kit';
import {
  announceServing,
  applyHeapGrowingPercent,
  collectStartupGarbage,
  graphWorkerNodeOptions,
  SOLE_PROCESS,
  startWorkers,
  workerRole,
  type WorkerRole,
} from '@commerce/workers';
import { DEMO, seedDemo } from '../prisma/seed.js';
import { startSettingsFromEnvironment } from './start-settings.js';

// Every setting before the slow steps: a mistake is one line at once.
const settings = startSettingsFromEnvironment();
applyHeapGrowingPercent();
await signingKeys();

/** Serves the graph in this process over the database whose owner's URL is given; resolves with its stop. */
async function serveGraph(databaseUrl: string, role: WorkerRole): Promise<() => Promise<void>> {
  // Loaded here, not above: a primary of workers serves nothing and need not hold the graph.
  const { startGraph } = await import('@commerce/gateway/all-in-one');
  const appUrl = appDatabaseUrl(databaseUrl);
  const database = openDatabase({ connectionString: appUrl, poolSize: settings.poolSize });
  const graph = await startGraph({
    database,
    gatewayPort: settings.port,
    host: settings.host,
    storefrontCache: settings.storefrontCache,
    realtime: { ...settings.realtime, relayDatabaseUrl: appUrl },
    persistedQueries: settings.persistedQueries,
    browser: settings.browser,
    protection: settings.protection,
    queryCost: settings.queryCost,
    subgraphSettings: settings.subgraphSettings,
    runsBackgroundWork: role.runsBackgroundWork,
  }).catch(async (error: unknown) => {
    await database.disconnect();
    throw error;
  });
  return async () => {
    await graph.close({ graceMs: settings.shutdownGraceMs });
    await database.disconnect();
  };
}

if (cluster.isWorker) {
  // The primary has started, migrated and seeded the database, and passes it on as DATABASE_URL.
  if (!settings.databaseUrl) throw new Error('a worker of `pnpm start` is given DATABASE_URL by its primary');
  const stop = await serveGraph(settings.databaseUrl, await workerRole());
  onStopSignals(stop, settings.shutdownGraceMs);
  announceServing();
  collectStartupGarbage();
} else {
  await runPrimary();
}

/** This process: what is done once (PostgreSQL, migrations, the demo), then the graph, in itself or in its workers. */
async function runPrimary(): Promise<void> {
  // The gateway's port before the slow steps; the workers share the primary's.
  await assertPortFree(settings.port, settings.host, 'PORT');

  /** What has started, closed newest first on a stop. */
  const cleanups: Array<() => Promise<unknown>> = [];
  async function closeStarted(): Promise<void> {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => console.error(error));
  }

  // From the start, so that a stop during start-up closes what has started so far, in order.
  onStopSignals(async () => {
    console.log('\nstopping …');
    await closeStarted();
  }, settings.shutdownGraceMs);
  // start.ts passes stops on as SIGTERM; should it end without (killed), this process stops too.
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));

  try {
    let databaseUrl = settings.databaseUrl;
    if (!databaseUrl) {
      console.log(`starting embedded PostgreSQL in ${settings.embedded.dataDir} …`);
      // Stopped last, after the graph has closed.
      const embedded = await startEmbeddedPostgres({
        ...settings.embedded,
        portSetting: 'EMBEDDED_POSTGRES_PORT',
        callerHandlesSigterm: true,
      });
      cleanups.push(() => embedded.stop());
      databaseUrl = embedded.url;
    }
    const { applied } = await migrate(databaseUrl);
    if (applied.length) console.log(`applied migrations: ${applied.join(', ')}`);

    const owner = openDatabase({ connectionString: databaseUrl, poolSize: 2 });
    if (await seedDemo(owner.prisma)) console.log(`seeded the demo store "${DEMO.storeSlug}"`);
    await owner.disconnect();

    if (settings.workers === 1) {
      cleanups.push(await serveGraph(databaseUrl, SOLE_PROCESS));
      collectStartupGarbage();
    } else {
      const workers = startWorkers({
        count: settings.workers,
        env: { DATABASE_URL: databaseUrl },
        graceMs: settings.shutdownGraceMs,
        execArgv: graphWorkerNodeOptions(),
      });
      cleanups.push(() => workers.stop());
      await workers.serving;
      // Workers that crash-loop after the start: stop the rest and PostgreSQL, and fail.
      void workers.failed.then(async () => {
        await closeStarted();
        process.exit(1);
      });
    }

    const url = `http://localhost:${settings.port}/graphql`;
    const served = settings.workers === 1 ? '' : ` (${settings.workers} worker processes)`;
    console.log(`
Commerce graph ready at ${url}${served}

  Demo store:   X-Store: ${DEMO.storeSlug}
  Staff login:  ${DEMO.sellerEmail} / ${DEMO.sellerPassword}   (sellerLogIn)
  Customer:     ${DEMO.customerEmail} / ${DEMO.customerPassword}   (customerLogIn with X-Store: ${DEMO.storeSlug})
  Explorer:     open ${url} in a browser (GRAPHQL_EXPLORER)

  Try:
    curl -s ${url} -H 'content-type: application/json' -H 'x-store: ${DEMO.storeSlug}' \\
      -d '{"query":"{ store { name products(first: 3) { edges { node { title priceRange { minVariantPrice { amount currencyCode } } } } } } }"}'

  Health: http://localhost:${settings.port}/healthz   Ready: http://localhost:${settings.port}/readyz   JWKS: http://localhost:${settings.port}/.well-known/jwks.json
  Stop with Ctrl-C.
`);
  } catch (error) {
    console.error(error instanceof SettingError ? error.message : error);
    // Closing what started must not hold the failure up for long.
    setTimeout(() => process.exit(1), 10_000).unref();
    await closeStarted();
    process.exit(1);
  }
}
