import { logger } from '@commerce/observability';
import type { StoreEvent } from './event.js';

/** Receives one store's events from a bus. */
export interface StoreEventListener {
  /** An event, in the order the relay published the store's events (duplicates are possible). */
  onEvent(event: StoreEvent): void;
  /**
   * The transport may have lost events (e.g. Redis reconnected): catch up from the outbox.
   * Only transports that can lose messages call it.
   */
  onResync?(): void;
}

/**
 * Fans published events out to listeners, per store. Delivery is at most once per transport
 * message; the outbox is the record, so listeners detect gaps by sequence and read them back.
 */
export interface EventBus {
  /** Hands the events to the transport; resolves once it has accepted them. */
  publish(events: readonly StoreEvent[]): Promise<void>;
  /** Listens to a store's events; resolves once listening, so every event published after that arrives. */
  subscribe(storeId: string, listener: StoreEventListener): Promise<() => void>;
  /** Listens to every store's events (a cache of the whole process); resolves once listening. */
  subscribeAll(listener: StoreEventListener): Promise<() => void>;
  /**
   * Whether events published now reach this process's listeners: false while the transport is
   * down, and after an outage until listeners have been asked to resync.
   */
  readonly listening: boolean;
  close(): Promise<void>;
}

/** Hands an event to a listener; a listener that throws is logged and does not stop the others. */
export function deliver(listener: StoreEventListener, event: StoreEvent): void {
  try {
    listener.onEvent(event);
  } catch (error) {
    logger.error({ err: error }, 'an event listener failed');
  }
}

/**
 * The bus of a single process (the embedded default, without REDIS_URL): publishing calls the
 * listeners of this process directly.
 */
export class InProcessEventBus implements EventBus {
  private readonly listeners = new Map<string, Set<StoreEventListener>>();
  private readonly everyStore = new Set<StoreEventListener>();
  private closed = false;

  get listening(): boolean {
    return !this.closed;
  }

  async publish(events: readonly StoreEvent[]): Promise<void> {
    for (const event of events) {
      for (const listener of this.listeners.get(event.storeId) ?? []) deliver(listener, event);
      for (const listener of this.everyStore) deliver(listener, event);
    }
  }

  async subscribeAll(listener: StoreEventListener): Promise<() => void> {
    this.everyStore.add(listener);
    return () => {
      this.everyStore.delete(listener);
    };
  }

  async subscribe(storeId: string, listener: StoreEventListener): Promise<() => void> {
    let listeners = this.listeners.get(storeId);
    if (!listeners) {
      listeners = new Set();
      this.listeners.set(storeId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.listeners.get(storeId) === listeners) this.listeners.delete(storeId);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.everyStore.clear();
  }
}
