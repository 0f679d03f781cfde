// `pnpm start`: the whole API on one machine. With DATABASE_URL unset it runs an embedded
// PostgreSQL under DATA_DIR (default .data/), migrates it, seeds the demo store and serves the
// gateway with all five subgraphs in this process. A second start reuses the data.
import path from 'node:path';
import { appDatabaseUrl, createPrisma, databasePoolSize, dataDirectory, embeddedPostgresPort, migrate, portSetting, startEmbeddedPostgres } from '@commerce/database';
import { storefrontCacheFromEnvironment } from '@commerce/gateway';
import { startGraph } from '@commerce/gateway/all-in-one';
import { DEMO, seedDemo } from '../prisma/seed.js';

const cleanups: Array<() => Promise<unknown>> = [];
/** Closes what has started, newest first; ends the process after SHUTDOWN_TIMEOUT_MS whatever is left. */
const SHUTDOWN_TIMEOUT_MS = 10_000;
async function shutDown(code: number): Promise<never> {
  setTimeout(() => process.exit(code), SHUTDOWN_TIMEOUT_MS).unref();
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error));
  process.exit(code);
}

// From the start, so that what has started so far is closed in order. Ctrl-C reaches every
// process of the terminal's group, so a signal may arrive more than once.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping …');
    void shutDown(0);
  });
}

try {
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    const dataDir = path.join(dataDirectory(), 'postgres');
    console.log(`starting embedded PostgreSQL in ${dataDir} …`);
    // Stopped last by shutDown, after the graph has closed (see the signal handlers below).
    const embedded = await startEmbeddedPostgres({ dataDir, port: embeddedPostgresPort(), callerHandlesSigterm: true });
    cleanups.push(() => embedded.stop());
    databaseUrl = embedded.url;
  }
  const { applied } = await migrate(databaseUrl);
  if (applied.length) console.log(`applied migrations: ${applied.join(', ')}`);

  const owner = createPrisma({ connectionString: databaseUrl, poolSize: 2 });
  if (await seedDemo(owner)) console.log(`seeded the demo store "${DEMO.storeSlug}"`);
  await owner.$disconnect();

  const appUrl = appDatabaseUrl(databaseUrl);
  const prisma = createPrisma({ connectionString: appUrl, poolSize: databasePoolSize() });
  cleanups.push(() => prisma.$disconnect());
  const port = portSetting(4000);
  const graph = await startGraph({ prisma, gatewayPort: port, host: process.env.HOST ?? '127.0.0.1', storefrontCache: storefrontCacheFromEnvironment(appUrl), realtime: { relayDatabaseUrl: appUrl } });
  cleanups.push(() => graph.close());

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
  console.error(error);
  await shutDown(1);
}
