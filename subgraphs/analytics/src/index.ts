// Runs the analytics subgraph as its own process (see docker-compose.yml).
import { appDatabaseUrl, createPrisma } from '@commerce/database';
import { startSubgraph } from '@commerce/graphql-kit';
import { analyticsSubgraph } from './server.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) throw new Error('DATABASE_URL is required.');
const prisma = createPrisma({ connectionString: appDatabaseUrl(databaseUrl), poolSize: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
const server = await startSubgraph(analyticsSubgraph, prisma, Number(process.env.PORT ?? 4005));
console.log(`analytics subgraph listening on ${server.url}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => prisma.$disconnect()).then(() => process.exit(0));
  });
}
