// /metrics of worker processes (WEB_CONCURRENCY): whichever worker a scrape reaches asks the
// primary, which gathers every worker's registry with prom-client's AggregatorRegistry and
// answers with the whole. Each worker's series carry its number as the `worker` label, so none is
// summed away: a gauge such as the heap or the event-loop lag stays one worker's figure, and a
// query sums them (`sum without (worker) (…)`).
import cluster from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import { metricsRegistry } from './metrics.js';

const REQUEST = 'commerce:metrics-request';
const ANSWER = 'commerce:metrics-answer';
/** prom-client gives up on workers that do not answer after 5 s; this waits a little longer for the primary. */
const ANSWER_TIMEOUT_MS = 6_000;

interface Request {
  type: typeof REQUEST;
  id: number;
}

interface Answer {
  type: typeof ANSWER;
  id: number;
  text?: string;
  error?: string;
}

function isRequest(message: unknown): message is Request {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === REQUEST;
}

function isAnswer(message: unknown): message is Answer {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === ANSWER;
}

let aggregating = false;

/** In the primary: answers each worker's request for the metrics of every worker (once per process). */
export function aggregateWorkerMetrics(): void {
  if (aggregating) return;
  aggregating = true;
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, message: unknown) => {
    if (!isRequest(message)) return;
    const reply = (answer: Omit<Answer, 'type' | 'id'>) =>
      worker.isConnected() && worker.send({ type: ANSWER, id: message.id, ...answer }, () => undefined);
    aggregator.clusterMetrics().then(
      (text) => reply({ text }),
      (error: unknown) => reply({ error: error instanceof Error ? error.message : String(error) }),
    );
  });
}

let sharedAs: number | null = null;

/** In worker `worker`: labels its metrics with its number and hands them to the primary when it gathers them. */
export function shareWorkerMetrics(worker: number): void {
  metricsRegistry.setDefaultLabels({ worker: String(worker) });
  AggregatorRegistry.setRegistries([metricsRegistry]);
  // Constructing one is what makes prom-client answer the primary's requests in a worker.
  new AggregatorRegistry();
  sharedAs = worker;
}

let nextId = 0;

/** The Prometheus text of this process: every worker's, from the primary, in a worker that shares its metrics. */
export async function processMetrics(): Promise<string> {
  if (sharedAs === null) return metricsRegistry.metrics();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error('the primary did not answer with the metrics in time')),
      ANSWER_TIMEOUT_MS,
    );
    const listener = (message: unknown): void => {
      if (isAnswer(message) && message.id === id) finish(message.error ? new Error(message.error) : null, message.text);
    };
    const finish = (error: Error | null, text = ''): void => {
      clearTimeout(timer);
      process.off('message', listener);
      if (error) reject(error);
      else resolve(text);
    };
    process.on('message', listener);
    process.send?.({ type: REQUEST, id } satisfies Request, (error: Error | null) => {
      if (error) finish(error);
    });
  });
}
