// Runs the gateway as its own process (see docker-compose.yml), or as WEB_CONCURRENCY worker
// processes sharing its port.
// First: a malformed setting read as the modules below load is reported in one line.
import '@commerce/database/startup-errors';
import cluster from 'node:cluster';
import { signingKeys } from '@commerce/auth';
import { assertPortFree, openDatabase } from '@commerce/database';
import { serveInWorkers } from '@commerce/graphql-kit';
import { gatewaySettingsFromEnvironment } from './gateway-settings.js';
import { startGateway } from './server.js';
import { logger } from '@commerce/observability';

const settings = gatewaySettingsFromEnvironment();
await signingKeys();
// The primary holds the port for its workers: it checks it once, before forking them.
if (!cluster.isWorker) await assertPortFree(settings.port, '0.0.0.0', 'PORT');
await serveInWorkers({
  workers: settings.workers,
  graceMs: settings.shutdownGraceMs,
  async serve(role) {
    // A few connections: /readyz, the outbox relay, and subscriptions' permission checks and replays.
    const database = openDatabase({ connectionString: settings.appDatabaseUrl, poolSize: 4 });
    const gateway = await startGateway({
      subgraphUrls: settings.subgraphUrls,
      database,
      port: settings.port,
      storefrontCache: settings.storefrontCache,
      realtime: settings.realtime,
      persistedQueries: settings.persistedQueries,
      browser: settings.browser,
      protection: settings.protection,
      queryCost: settings.queryCost,
      webhooks: { settings: settings.webhooks },
      storefrontUrl: settings.storefrontUrl,
      runsRelay: role.runsBackgroundWork,
    });
    logger.info({ service: 'gateway', url: gateway.url }, `gateway listening on ${gateway.url}`);
    return async () => {
      await gateway.close({ graceMs: settings.shutdownGraceMs });
      await database.disconnect();
    };
  },
});
