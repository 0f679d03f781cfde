// A background job that runs on a schedule: one run at a time (a tick that finds a run under way
// skips), a run that fails is logged and tried again at the next tick, and stopping waits for the
// run under way. The order subgraph's sweeps (expired carts, expired authorizations) run on it.
import { logger } from '@commerce/observability';
import type { BackgroundJob } from './subgraph.js';

/** Runs `run` every `intervalMinutes` until stopped (0: never); `name` names it in the log. */
export function periodicJob(name: string, intervalMinutes: number, run: () => Promise<void>): BackgroundJob {
  if (intervalMinutes === 0) return { stop: async () => {} };
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    running ??= run()
      .catch((error: unknown) => logger.error({ err: error }, `${name} failed`))
      .finally(() => {
        running = null;
      });
  }, intervalMinutes * 60_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
