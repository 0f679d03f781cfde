// The process of `pnpm start` (started by start.ts): the whole API on one machine. With
// DATABASE_URL unset it runs an embedded PostgreSQL under DATA_DIR (default .data/), migrates it,
// seeds the demo store and serves the gateway with all five subgraphs in this process. A second
// start reuses the data.
// First: a malformed setting read as the modules below load is reported in one line.
import '@commerce/database/startup-errors';
import { signingKeys } from '@commerce/auth';
import {
  appDatabaseUrl,
  assertPortFree,
  migrate,
  openDatabase,
  SettingError,
  startEmbeddedPostgres,
} from '@commerce/database';
import { startGraph } from '@commerce/gateway/all-in-one';
import { onStopSignals } from '@commerce/graphql-kit';
import { DEMO, seedDemo } from '../prisma/seed.js';
import { startSettingsFromEnvironment } from './start-settings.js';

// Every setting, and the gateway's port, before the slow steps: a mistake is one line at once.
const settings = startSettingsFromEnvironment();
await signingKeys();
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

  const appUrl = appDatabaseUrl(databaseUrl);
  const database = openDatabase({ connectionString: appUrl, poolSize: settings.poolSize });
  cleanups.push(() => database.disconnect());
  const { port, host } = settings;
  const graph = await startGraph({
    database,
    gatewayPort: port,
    host,
    storefrontCache: settings.storefrontCache,
    realtime: { ...settings.realtime, relayDatabaseUrl: appUrl },
    persistedQueries: settings.persistedQueries,
    browser: settings.browser,
    protection: settings.protection,
    queryCost: settings.queryCost,
    subgraphSettings: settings.subgraphSettings,
  });
  cleanups.push(() => graph.close({ graceMs: settings.shutdownGraceMs }));

  const url = `http://localhost:${port}/graphql`;
  console.log(`
Commerce graph ready at ${url}

  Demo store:   X-Store: ${DEMO.storeSlug}
  Staff login:  ${DEMO.sellerEmail} / ${DEMO.sellerPassword}   (sellerLogIn)
  Customer:     ${DEMO.customerEmail} / ${DEMO.customerPassword}   (customerLogIn with X-Store: ${DEMO.storeSlug})
  Explorer:     open ${url} in a browser (GRAPHQL_EXPLORER)

  Try:
    curl -s ${url} -H 'content-type: application/json' -H 'x-store: ${DEMO.storeSlug}' \\
      -d '{"query":"{ store { name products(first: 3) { edges { node { title priceRange { minVariantPrice { amount currencyCode } } } } } } }"}'

  Health: http://localhost:${port}/healthz   Ready: http://localhost:${port}/readyz   JWKS: http://localhost:${port}/.well-known/jwks.json
  Stop with Ctrl-C.
`);
} catch (error) {
  console.error(error instanceof SettingError ? error.message : error);
  // Closing what started must not hold the failure up for long.
  setTimeout(() => process.exit(1), 10_000).unref();
  await closeStarted();
  process.exit(1);
}
