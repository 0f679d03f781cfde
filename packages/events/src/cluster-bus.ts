import { logger } from '@commerce/observability';
import { broadcast, onBroadcast } from '@commerce/workers';
import { InProcessEventBus, type EventBus, type StoreEventListener } from './bus.js';
import { parseEvent, serializeEvent, type StoreEvent } from './event.js';

const TOPIC = 'store-events';

/**
 * The bus of worker processes without REDIS_URL (`pnpm start` on several cores): an event published
 * in one worker goes to the primary over the cluster's IPC channel, which passes it on to every
 * worker, the publisher included, and each hands it to its own listeners. The channel delivers in
 * order and loses nothing while both ends live; a worker that dies takes its listeners with it, and
 * the workers end with their primary.
 */
export class ClusterEventBus implements EventBus {
  private readonly local = new InProcessEventBus();
  private readonly stopReceiving: () => void;
  private closed = false;

  constructor() {
    this.stopReceiving = onBroadcast(TOPIC, (payload) => this.receive(payload));
  }

  get listening(): boolean {
    return !this.closed && process.connected === true;
  }

  async publish(events: readonly StoreEvent[]): Promise<void> {
    if (events.length === 0) return;
    await broadcast(TOPIC, events.map(serializeEvent));
  }

  subscribe(storeId: string, listener: StoreEventListener): Promise<() => void> {
    return this.local.subscribe(storeId, listener);
  }

  subscribeAll(listener: StoreEventListener): Promise<() => void> {
    return this.local.subscribeAll(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopReceiving();
    await this.local.close();
  }

  private receive(payload: unknown): void {
    let events: StoreEvent[];
    try {
      events = (payload as string[]).map(parseEvent);
    } catch (error) {
      logger.error({ err: error }, 'events: dropped a malformed message from another worker');
      return;
    }
    void this.local.publish(events);
  }
}
