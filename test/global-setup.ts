import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { appDatabaseUrl, createDatabase, dropDatabase, migrate, startEmbeddedPostgres } from '@commerce/database';

declare module 'vitest' {
  interface ProvidedContext {
    /** The run's database as its owner (a superuser: row-level security does not apply). */
    databaseUrl: string;
    /** The same database as the app role, the way the services connect. */
    appDatabaseUrl: string;
  }
}

interface TestServer {
  url: string;
  stop(): Promise<void>;
}

/** Creates and migrates this run's database and provides its URLs; returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The run's own database is the only target: a configured app URL would point somewhere else.
  delete process.env.APP_DATABASE_URL;
  const server = await testServer();
  const name = `commerce_test_${Date.now().toString(36)}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const teardown = async (): Promise<void> => {
    try {
      await dropDatabase(server.url, name);
    } finally {
      await server.stop();
    }
  };

  try {
    await createDatabase(server.url, name);
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    await migrate(url.toString());
    project.provide('databaseUrl', url.toString());
    project.provide('appDatabaseUrl', appDatabaseUrl(url.toString()));
  } catch (error) {
    // Vitest skips the teardown of a setup that failed.
    await teardown();
    throw error;
  }
  return teardown;
}

// DATABASE_URL's server when set; else a throwaway embedded PostgreSQL in a fresh temporary folder.
async function testServer(): Promise<TestServer> {
  const configured = process.env.DATABASE_URL;
  if (configured) return { url: configured, stop: async () => undefined };
  const tempDir = await mkdtemp(path.join(tmpdir(), 'commerce-test-pg-'));
  const removeTempDir = () => rm(tempDir, { recursive: true, force: true });
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(tempDir, 'data') }).catch(async (error: unknown) => {
    await removeTempDir();
    throw error;
  });
  return {
    url: embedded.url,
    stop: async () => {
      await embedded.stop();
      await removeTempDir();
    },
  };
}
