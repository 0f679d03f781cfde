import { logger, shareWorkerMetrics } from '@commerce/observability';
import { isMessage, ROLE, ROLE_REQUEST, SERVING } from './messages.js';

/** Which worker a serving process is, and what it does besides serving. */
export interface WorkerRole {
  /** 1 to WEB_CONCURRENCY; a worker that replaces one that died takes its number. */
  worker: number;
  /**
   * Whether it runs the work a deployment does once, beside the requests: the outbox relay, the
   * cart sweeper and the mail sender. Worker 1 does, or the process itself when there are no workers.
   */
  runsBackgroundWork: boolean;
}

/** The role of a process that serves by itself (WEB_CONCURRENCY=1). */
export const SOLE_PROCESS: WorkerRole = { worker: 1, runsBackgroundWork: true };

/**
 * In a worker: asks the primary which worker it is, then puts its number on its log lines and
 * metrics (the `worker` field and label).
 */
export async function workerRole(): Promise<WorkerRole> {
  const worker = await new Promise<number>((resolve, reject) => {
    const listener = (message: unknown): void => {
      if (!isMessage(message, ROLE)) return;
      process.off('message', listener);
      resolve(message.worker);
    };
    process.on('message', listener);
    process.send?.({ type: ROLE_REQUEST }, (error: Error | null) => {
      if (!error) return;
      process.off('message', listener);
      reject(error);
    });
  });
  logger.setBindings({ worker });
  shareWorkerMetrics(worker);
  return { worker, runsBackgroundWork: worker === 1 };
}

/** In a worker: tells the primary that it serves (its first start is complete once every worker has). */
export function announceServing(): void {
  process.send?.({ type: SERVING });
}
