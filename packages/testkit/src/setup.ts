// What a run's set-up uses outside Vitest's workers (the global set-up, the benchmarks): throwaway
// databases, the run's shared graph, and waiting for a condition.
import { openDatabase } from '@commerce/database';
import { realtimeOf, startGraphOver } from './graph-start.js';

export {
  copyDatabase,
  createEmptyThrowawayDatabase,
  createThrowawayDatabase,
  type ThrowawayDatabase,
} from './throwaway-database.js';
export { eventually } from './eventually.js';

/**
 * Starts the graph that test files share (sharedTestGraph) over a run's database, with the settings
 * startTestGraph() has by default, and a pool for several files' requests at once.
 */
export async function startSharedGraph(database: {
  url: string;
  appUrl: string;
}): Promise<{ url: string; close(): Promise<void> }> {
  const handle = openDatabase({ connectionString: database.appUrl, poolSize: 20 });
  const graph = await startGraphOver(handle, database.appUrl, realtimeOf(database.url)).catch(
    async (error: unknown) => {
      await handle.disconnect();
      throw error;
    },
  );
  return {
    url: graph.url,
    async close() {
      await graph.close();
      await handle.disconnect();
    },
  };
}
