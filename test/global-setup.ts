import type { TestProject } from 'vitest/node';
import { createThrowawayDatabase, startSharedGraph } from '@commerce/testkit/setup';

declare module 'vitest' {
  interface ProvidedContext {
    /** The run's database as its owner (a superuser: row-level security does not apply). */
    databaseUrl: string;
    /** The same database as the app role, the way the services connect. */
    appDatabaseUrl: string;
    /** The migrated template the run's database was cloned from (createIsolatedDatabase clones it again). */
    templateDatabaseUrl: string;
    /** The gateway of the graph the test files share (sharedTestGraph). */
    graphUrl: string;
  }
}

/** Creates this run's database and starts the shared graph on it; returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The run's own database is the only target: a configured app URL would point somewhere else.
  delete process.env.APP_DATABASE_URL;
  const database = await createThrowawayDatabase('commerce_test');
  const graph = await startSharedGraph(database).catch(async (error: unknown) => {
    // Vitest skips the teardown of a setup that failed.
    await database.drop();
    throw error;
  });
  project.provide('databaseUrl', database.url);
  project.provide('appDatabaseUrl', database.appUrl);
  project.provide('templateDatabaseUrl', database.templateUrl);
  project.provide('graphUrl', graph.url);
  return async () => {
    try {
      await graph.close();
    } finally {
      await database.drop();
    }
  };
}
