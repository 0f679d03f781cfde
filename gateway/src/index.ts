// Runs the gateway as its own process (see docker-compose.yml).
// First: a malformed setting read as the modules below load is reported in one line.
import '@commerce/database/startup-errors';
import { signingKeys } from '@commerce/auth';
import { assertPortFree, openDatabase } from '@commerce/database';
import { onStopSignals } from '@commerce/graphql-kit';
import { gatewaySettingsFromEnvironment } from './gateway-settings.js';
import { startGateway } from './server.js';
import { logger } from '@commerce/observability';

const settings = gatewaySettingsFromEnvironment();
await signingKeys();
await assertPortFree(settings.port, '0.0.0.0', 'PORT');
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
});
logger.info({ service: 'gateway', url: gateway.url }, `gateway listening on ${gateway.url}`);

onStopSignals(async () => {
  await gateway.close({ graceMs: settings.shutdownGraceMs });
  await database.disconnect();
}, settings.shutdownGraceMs);
