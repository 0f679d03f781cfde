// `pnpm db:migrate`: applies pending migrations to DATABASE_URL (the owner role) and sets the app
// role's password. Used by the migration job of docker-compose and by hand.
import { migrate } from '@commerce/database';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set: give the URL of the database to migrate, as the role that owns it.');
  process.exit(1);
}

try {
  const { applied } = await migrate(url, { log: (line) => console.log(line) });
  console.log(applied.length === 0 ? 'No pending migrations.' : `Applied ${applied.length} migration(s).`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
