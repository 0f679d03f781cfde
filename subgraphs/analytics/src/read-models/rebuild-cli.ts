// `pnpm analytics:rebuild`: recomputes stores' analytics rollups from their orders and refunds and
// sets their cursors (rollup-rebuild.ts), safely while the graph serves and the consumer runs.
//   pnpm analytics:rebuild --store demo     one store, by slug or id
//   pnpm analytics:rebuild --all            every store, one transaction each
// It reads DATABASE_URL, else the embedded PostgreSQL that `pnpm start` runs, as the database
// owner (it lists every store, like `pnpm db:seed`); each store is rebuilt in its tenant scope.
import { parseArgs } from 'node:util';
import { embeddedPostgresPort, openDatabase } from '@commerce/database';
import { rebuildStores } from './rebuild-stores.js';

const { values } = parseArgs({ options: { store: { type: 'string' }, all: { type: 'boolean', default: false } } });
if (!values.all === !values.store) {
  console.error('Give --store <slug or id>, or --all.');
  process.exit(2);
}

const databaseUrl =
  process.env.DATABASE_URL ?? `postgres://postgres:postgres@127.0.0.1:${embeddedPostgresPort()}/postgres`;
const { prisma } = openDatabase({ connectionString: databaseUrl, poolSize: 1 });
try {
  const rebuilt = await rebuildStores(prisma, values.store ?? null, (store) =>
    console.log(`${store.slug}: rebuilt, as of event ${store.sequence}`),
  );
  if (rebuilt.length === 0) {
    console.error(`No store "${values.store}".`);
    process.exitCode = 1;
  }
} finally {
  await prisma.$disconnect();
}
