// Databases made for one run and dropped after it, on DATABASE_URL's server or else on an embedded
// PostgreSQL in a fresh temporary folder: the tests' global set-up and the benchmarks use them.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { appDatabaseUrl, createDatabase, dropDatabase, migrate, startEmbeddedPostgres } from '@commerce/database';

export interface ThrowawayDatabase {
  /** The database as its owner (row-level security does not apply). */
  url: string;
  /** The same database as the app role, the way the services connect. */
  appUrl: string;
  /** The migrated, unused database this one was cloned from; copyDatabase() clones it again. */
  templateUrl: string;
  /** Drops the database and its template, and stops the embedded server if one was started. */
  drop(): Promise<void>;
}

/** `<prefix>_<unique suffix>`: a database name no other run takes. */
function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomUUID().slice(0, 8)}`;
}

/**
 * A migrated database named `<prefix>_<unique suffix>`. The migrations run once, into a template
 * that nothing connects to, and the database is cloned from it, so that copyDatabase() can clone
 * more of them in a fraction of the time migrating takes.
 */
export async function createThrowawayDatabase(prefix: string): Promise<ThrowawayDatabase> {
  const server = await throwawayServer();
  const name = uniqueName(prefix);
  const template = `${name}_template`;
  const drop = async (): Promise<void> => {
    try {
      await dropDatabase(server.url, name);
      await dropDatabase(server.url, template);
    } finally {
      await server.stop();
    }
  };
  try {
    await createDatabase(server.url, template);
    await migrate(databaseUrl(server.url, template));
    await createDatabase(server.url, name, { template });
  } catch (error) {
    await drop();
    throw error;
  }
  const url = databaseUrl(server.url, name);
  return { url, appUrl: appDatabaseUrl(url), templateUrl: databaseUrl(server.url, template), drop };
}

/**
 * An empty database named `<prefix>_<unique suffix>`, for code that migrates it itself (another
 * checkout of the project, whose migrations may be older: `pnpm bench:cache-on`).
 */
export async function createEmptyThrowawayDatabase(prefix: string): Promise<{ url: string; drop(): Promise<void> }> {
  const server = await throwawayServer();
  const name = uniqueName(prefix);
  try {
    await createDatabase(server.url, name);
  } catch (error) {
    await server.stop();
    throw error;
  }
  const drop = async (): Promise<void> => {
    try {
      await dropDatabase(server.url, name);
    } finally {
      await server.stop();
    }
  };
  return { url: databaseUrl(server.url, name), drop };
}

/**
 * A migrated database of its own, cloned from a throwaway database's template, on the same server;
 * drop it when done. `database.url` only issues the statements (no session may be connected to a
 * template while it is cloned).
 */
export async function copyDatabase(database: {
  url: string;
  templateUrl: string;
}): Promise<{ url: string; appUrl: string; drop(): Promise<void> }> {
  const template = new URL(database.templateUrl).pathname.slice(1);
  const name = `${new URL(database.url).pathname.slice(1)}_${randomUUID().slice(0, 8)}`;
  await createDatabase(database.url, name, { template });
  const url = databaseUrl(database.url, name);
  return { url, appUrl: appDatabaseUrl(url), drop: () => dropDatabase(database.url, name) };
}

function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function throwawayServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const configured = process.env.DATABASE_URL;
  if (configured) return { url: configured, stop: async () => undefined };
  const tempDir = await mkdtemp(path.join(tmpdir(), 'commerce-pg-'));
  const removeTempDir = () => rm(tempDir, { recursive: true, force: true });
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(tempDir, 'data') }).catch(
    async (error: unknown) => {
      await removeTempDir();
      throw error;
    },
  );
  return {
    url: embedded.url,
    stop: async () => {
      await embedded.stop();
      await removeTempDir();
    },
  };
}
