// The primary of worker processes (node:cluster): it forks them, and they share its listening
// ports, connections handed to each in turn. A worker that dies is replaced under its number, after
// a back-off; workers that keep dying are a crash loop, and the primary gives up rather than burn
// the machine. A stop signals every worker, each of which drains as a process of its own does.
import cluster, { type Worker } from 'node:cluster';
import { aggregateWorkerMetrics, logger } from '@commerce/observability';
import { forwardBroadcasts } from './broadcast.js';
import { isMessage, ROLE, ROLE_REQUEST, SERVING } from './messages.js';

/** The first replacement waits this long; each further exit within CRASH_WINDOW_MS doubles the wait. */
const RESTART_DELAY_MS = 100;
/** More unexpected exits than this within CRASH_WINDOW_MS is a crash loop. */
const MAX_CRASHES = 3;
const CRASH_WINDOW_MS = 60_000;
/** What a worker's stop may take beyond the grace before it is killed (a worker gives itself as much: onStopSignals). */
const STOP_MARGIN_MS = 10_000;

export interface WorkerPoolOptions {
  /** How many workers (WEB_CONCURRENCY). */
  count: number;
  /** Added to each worker's environment: what the primary prepared for them, such as the database it started. */
  env?: Record<string, string>;
  /** The workers' drain (SHUTDOWN_GRACE_SECONDS): a stop kills a worker still running this long, and a margin, after its signal. */
  graceMs: number;
  /** Node options for the workers besides the primary's own (graphWorkerNodeOptions). */
  execArgv?: readonly string[];
}

export interface WorkerPool {
  /**
   * Settles once every worker has served; rejects if one exits before it does (a start that cannot
   * work, such as an unreachable database, is not retried).
   */
  serving: Promise<void>;
  /**
   * Settles with the reason when the pool gives up: a worker of the first start exited before it
   * served, or workers crash-loop. Nothing is restarted after; stop() ends the workers left.
   */
  failed: Promise<Error>;
  /** Signals every worker (SIGTERM) and resolves once all have exited. */
  stop(): Promise<void>;
}

/**
 * glibc's malloc arenas in each worker unless MALLOC_ARENA_MAX says otherwise, as the image sets
 * for every process (Dockerfile): the native memory of V8's helper threads is reused rather than
 * kept in arenas of their own (README, "Memory"). glibc reads it as a process starts, so a worker
 * can be given it where the primary, already running, cannot.
 */
const WORKER_MALLOC_ARENAS = '2';

/** In the primary: forks `count` workers, numbered from 1, and keeps them running until stopped. */
export function startWorkers({ count, env = {}, graceMs, execArgv = [] }: WorkerPoolOptions): WorkerPool {
  if (execArgv.length) cluster.setupPrimary({ execArgv: [...process.execArgv, ...execArgv] });
  forwardBroadcasts();
  aggregateWorkerMetrics();
  const firstStart = new Set(Array.from({ length: count }, (_, index) => index + 1));
  const restarts = new Set<NodeJS.Timeout>();
  let crashes: number[] = [];
  let stopping = false;
  let givenUp = false;

  let served: () => void = () => undefined;
  let notServed: (error: Error) => void = () => undefined;
  const serving = new Promise<void>((resolve, reject) => {
    served = resolve;
    notServed = reject;
  });
  // Callers await it during their start only; a failure after that is told by `failed`.
  serving.catch(() => undefined);
  let fail: (error: Error) => void = () => undefined;
  const failed = new Promise<Error>((resolve) => (fail = resolve));

  const giveUp = (error: Error): void => {
    givenUp = true;
    for (const timer of restarts) clearTimeout(timer);
    restarts.clear();
    logger.error(error.message);
    notServed(error);
    fail(error);
  };

  const exited = (worker: Worker, number: number, code: number | null, signal: string | null): void => {
    if (stopping || givenUp) return;
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (firstStart.has(number)) {
      giveUp(new Error(`worker ${number} exited with ${how} before it served: stopping`));
      return;
    }
    const now = Date.now();
    crashes = [...crashes.filter((at) => now - at < CRASH_WINDOW_MS), now];
    if (crashes.length > MAX_CRASHES) {
      giveUp(new Error(`workers exited ${crashes.length} times within ${CRASH_WINDOW_MS / 1000} s: giving up`));
      return;
    }
    const delay = RESTART_DELAY_MS * 2 ** (crashes.length - 1);
    logger.error(
      { worker: number, workerPid: worker.process.pid, code, signal },
      `worker ${number} exited with ${how}: starting another in ${delay} ms`,
    );
    const timer = setTimeout(() => {
      restarts.delete(timer);
      if (!stopping && !givenUp) fork(number);
    }, delay);
    restarts.add(timer);
  };

  const fork = (number: number): void => {
    const worker = cluster.fork({ MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? WORKER_MALLOC_ARENAS, ...env });
    worker.on('message', (message: unknown) => {
      if (isMessage(message, ROLE_REQUEST)) {
        worker.send({ type: ROLE, worker: number }, () => undefined);
      } else if (isMessage(message, SERVING)) {
        logger.info({ worker: number, workerPid: worker.process.pid }, `worker ${number} serving`);
        firstStart.delete(number);
        if (firstStart.size === 0) served();
      }
    });
    worker.once('exit', (code, signal) => exited(worker, number, code, signal));
  };

  for (let number = 1; number <= count; number++) fork(number);

  return {
    serving,
    failed,
    async stop() {
      stopping = true;
      for (const timer of restarts) clearTimeout(timer);
      restarts.clear();
      await Promise.all(Object.values(cluster.workers ?? {}).map((worker) => worker && stopWorker(worker, graceMs)));
    },
  };
}

/** SIGTERM, then SIGKILL if the worker has not exited after its grace and the margin. */
async function stopWorker(worker: Worker, graceMs: number): Promise<void> {
  if (worker.isDead()) return;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // To the process, not worker.kill(): that would first disconnect the channel, through which a
  // draining worker still closes its listeners and hands the relay's last batch on.
  worker.process.kill('SIGTERM');
  const timer = setTimeout(() => worker.process.kill('SIGKILL'), graceMs + STOP_MARGIN_MS);
  await exited;
  clearTimeout(timer);
}
