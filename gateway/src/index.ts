// Runs the gateway as its own process (see docker-compose.yml).
import { appDatabaseUrl, createPrisma, portSetting } from '@commerce/database';
import { logger } from '@commerce/observability';
import { subgraphUrlsFromEnvironment } from './config.js';
import { startGateway, storefrontCacheFromEnvironment } from './server.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is required (the gateway checks the database in /readyz).');
const appUrl = appDatabaseUrl(databaseUrl);
// A few connections: /readyz, the outbox relay, and subscriptions' permission checks and replays.
const prisma = createPrisma({ connectionString: appUrl, poolSize: 4 });
const gateway = await startGateway({
  subgraphUrls: subgraphUrlsFromEnvironment(),
  prisma,
  port: portSetting(4000),
  storefrontCache: storefrontCacheFromEnvironment(appUrl),
  realtime: { relayDatabaseUrl: appUrl },
});
logger.info({ service: 'gateway', url: gateway.url }, 'gateway listening');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void gateway.close().then(() => prisma.$disconnect()).then(() => process.exit(0));
  });
}
