import cluster from 'node:cluster';
import {
  announceServing,
  applyHeapGrowingPercent,
  collectStartupGarbage,
  SOLE_PROCESS,
  startWorkers,
  workerRole,
  type WorkerRole,
} from '@commerce/workers';
import { onStopSignals } from './shutdown.js';

export interface ServeInWorkersOptions {
  /** How many processes serve (WEB_CONCURRENCY). */
  workers: number;
  /** The drain's grace (SHUTDOWN_GRACE_SECONDS). */
  graceMs: number;
  /** Starts serving in this process as `role`; resolves with its stop (the drain, then what it used). */
  serve(role: WorkerRole): Promise<() => Promise<void>>;
}

/**
 * Serves from this process, or with `workers` above 1 from that many worker processes sharing its
 * ports (node:cluster), this process then their primary: it forks them, replaces one that dies,
 * and on SIGINT/SIGTERM passes the stop on to each, which drains as a lone process would, and
 * exits 0 once they all have (1 if it gave up on workers that crash-loop). The entry file runs in
 * the primary and in every worker, and calls this in each.
 */
export async function serveInWorkers({ workers, graceMs, serve }: ServeInWorkersOptions): Promise<void> {
  applyHeapGrowingPercent();
  if (cluster.isWorker) {
    const stop = await serve(await workerRole());
    onStopSignals(stop, graceMs);
    announceServing();
    collectStartupGarbage();
    return;
  }
  if (workers === 1) {
    onStopSignals(await serve(SOLE_PROCESS), graceMs);
    collectStartupGarbage();
    return;
  }
  const pool = startWorkers({ count: workers, graceMs });
  onStopSignals(() => pool.stop(), graceMs);
  void pool.failed.then(async () => {
    await pool.stop();
    process.exit(1);
  });
}
