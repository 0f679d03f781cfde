// Runs the catalog subgraph as its own process (see docker-compose.yml).
import { appDatabaseUrl, createPrisma } from '@commerce/database';
import { startSubgraph } from '@commerce/graphql-kit';
import { catalogSubgraph } from './server.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is required.');
const prisma = createPrisma({ connectionString: appDatabaseUrl(databaseUrl), poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
const server = await startSubgraph(catalogSubgraph, prisma, Number(process.env.PORT ?? 4002));
console.log(`catalog subgraph listening on ${server.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => prisma.$disconnect()).then(() => process.exit(0));
  });
}
