// Payloads one worker sends to every worker, itself included: to the primary over the cluster's
// IPC channel, which passes each on to every worker in the order it came (a channel delivers in
// order). A worker not yet listening, or gone, misses what is sent meanwhile.
import cluster from 'node:cluster';
import { BROADCAST, isMessage } from './messages.js';

/** From a worker: sends `payload` on `topic` to every worker; resolves once the channel has taken it. */
export function broadcast(topic: string, payload: unknown): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send || !process.connected) {
      reject(new Error('this process has no primary to broadcast through'));
      return;
    }
    process.send({ type: BROADCAST, topic, payload }, (error: Error | null) => (error ? reject(error) : resolve()));
  });
}

/** In a worker: calls `receive` with each payload any worker broadcasts on `topic`; returns the function that stops it. */
export function onBroadcast(topic: string, receive: (payload: unknown) => void): () => void {
  const listener = (message: unknown): void => {
    if (isMessage(message, BROADCAST) && message.topic === topic) receive(message.payload);
  };
  process.on('message', listener);
  return () => {
    process.off('message', listener);
  };
}

let forwarding = false;

/** In the primary: passes every worker's broadcasts on to every worker (once per process). */
export function forwardBroadcasts(): void {
  if (forwarding) return;
  forwarding = true;
  cluster.on('message', (_from, message: unknown) => {
    if (!isMessage(message, BROADCAST)) return;
    for (const worker of Object.values(cluster.workers ?? {})) {
      // One that is exiting misses it; the callback keeps a closed channel from raising an error.
      if (worker?.isConnected()) worker.send(message, () => undefined);
    }
  });
}
