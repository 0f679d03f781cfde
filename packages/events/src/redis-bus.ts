import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { logger } from '@commerce/observability';
import { deliver, type EventBus, type StoreEventListener } from './bus.js';
import { parseEvent, serializeEvent, type StoreEvent } from './event.js';

export interface RedisEventBusOptions {
  /** e.g. redis://127.0.0.1:6379 */
  url: string;
  /** Prefix of every channel name; processes that share events share it. A store's channel is `<prefix>events:<storeId>`. */
  keyPrefix: string;
  /** How long a subscription waits for the subscriber connection to be ready before it fails. Default 5,000 ms. */
  subscribeTimeoutMs?: number;
}

const SUBSCRIBE_TIMEOUT_MS = 5_000;

interface Channel {
  listeners: Set<StoreEventListener>;
  /** Settles when Redis has confirmed the SUBSCRIBE. */
  subscribed: Promise<void>;
}

/** Opens an ioredis connection that reports its errors once per outage instead of crashing the process. */
export function connectRedis(url: string, name: string, options: { commandTimeout?: number } = {}): Redis {
  const redis = new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: 3,
    commandTimeout: options.commandTimeout,
  });
  let reported = false;
  redis.on('error', (error: Error) => {
    if (reported) return;
    reported = true;
    logger.error({ connection: name, reason: error.message }, 'redis: connection failed; retrying');
  });
  redis.on('ready', () => {
    reported = false;
  });
  return redis;
}

/** A glob pattern (PSUBSCRIBE) that matches `text` alone. */
function literalPattern(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/**
 * Events through Redis pub/sub, one channel per store, so every gateway process receives the events
 * of the stores its subscribers watch, whichever process's relay published them. A process
 * subscribes to a store's channel once, however many subscriptions watch that store, and to the
 * pattern of every store's channels once for the listeners of all stores. Pub/sub drops messages
 * while a connection is down: after a reconnection every listener is asked to resync.
 */
export class RedisEventBus implements EventBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly channels = new Map<string, Channel>();
  /** The listeners of every store's events, and the PSUBSCRIBE they wait for. */
  private readonly everyStore = new Set<StoreEventListener>();
  private everyStoreSubscribed: Promise<void> | null = null;
  private connectedOnce = false;
  /** From a lost connection until the listeners have been asked to resync. */
  private interrupted = false;
  private closed = false;
  /** The one wait for the subscriber connection to become ready, shared by every subscription waiting for it. */
  private readiness: { promise: Promise<void>; settle(error?: Error): void } | null = null;
  /** The subscriber connection's CLIENT name, unique to this bus (operators can find it in CLIENT LIST). */
  readonly subscriberName = `events-subscriber-${randomUUID().slice(0, 8)}`;

  constructor(private readonly options: RedisEventBusOptions) {
    this.publisher = connectRedis(options.url, 'events-publisher', { commandTimeout: 5_000 });
    this.subscriber = connectRedis(options.url, this.subscriberName);
    this.subscriber.on('message', (channel: string, message: string) => this.dispatch(channel, message));
    this.subscriber.on('pmessage', (_pattern: string, channel: string, message: string) =>
      this.dispatchToEveryStore(channel, message),
    );
    this.subscriber.on('close', () => {
      if (this.connectedOnce) this.interrupted = true;
    });
    this.subscriber.on('ready', () => {
      if (!this.connectedOnce) {
        this.connectedOnce = true;
        return;
      }
      // ioredis resubscribes right after this event; once our own SUBSCRIBE is answered, theirs
      // are too, and listeners can read back what the outage swallowed.
      setImmediate(() => void this.resync());
    });
  }

  channelOf(storeId: string): string {
    return `${this.options.keyPrefix}events:${storeId}`;
  }

  /** The pattern of every store's channel. */
  private get everyStorePattern(): string {
    return `${literalPattern(`${this.options.keyPrefix}events:`)}*`;
  }

  get listening(): boolean {
    return !this.closed && !this.interrupted && this.subscriber.status === 'ready';
  }

  async publish(events: readonly StoreEvent[]): Promise<void> {
    if (events.length === 0) return;
    const pipeline = this.publisher.pipeline();
    for (const event of events) pipeline.publish(this.channelOf(event.storeId), serializeEvent(event));
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
  }

  async subscribe(storeId: string, listener: StoreEventListener): Promise<() => void> {
    const name = this.channelOf(storeId);
    let channel = this.channels.get(name);
    if (!channel) {
      channel = { listeners: new Set(), subscribed: this.sendSubscribe([name]) };
      this.channels.set(name, channel);
    }
    channel.listeners.add(listener);
    const current = channel;
    const unsubscribe = () => {
      current.listeners.delete(listener);
      if (current.listeners.size > 0 || this.channels.get(name) !== current) return;
      this.channels.delete(name);
      // Commands run in order on the connection: a later SUBSCRIBE of the same channel wins.
      this.subscriber
        .unsubscribe(name)
        .catch((error: unknown) => logger.error({ err: error, channel: name }, 'redis: could not unsubscribe'));
    };
    try {
      await current.subscribed;
    } catch (error) {
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  async subscribeAll(listener: StoreEventListener): Promise<() => void> {
    this.everyStore.add(listener);
    this.everyStoreSubscribed ??= this.whenReady().then(async () => {
      await this.subscriber.psubscribe(this.everyStorePattern);
    });
    const subscribed = this.everyStoreSubscribed;
    const unsubscribe = () => {
      if (!this.everyStore.delete(listener) || this.everyStore.size > 0) return;
      this.everyStoreSubscribed = null;
      this.subscriber
        .punsubscribe(this.everyStorePattern)
        .catch((error: unknown) => logger.error({ err: error }, 'redis: could not unsubscribe from every store'));
    };
    try {
      await subscribed;
    } catch (error) {
      if (this.everyStoreSubscribed === subscribed) this.everyStoreSubscribed = null;
      unsubscribe();
      throw error;
    }
    return unsubscribe;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.readiness?.settle(new Error('The event bus is closed.'));
    this.channels.clear();
    this.everyStore.clear();
    this.subscriber.disconnect();
    await this.publisher.quit().catch(() => this.publisher.disconnect());
  }

  private dispatch(channelName: string, message: string): void {
    const channel = this.channels.get(channelName);
    if (!channel) return;
    let event: StoreEvent;
    try {
      event = parseEvent(message);
    } catch (error) {
      logger.error({ err: error, channel: channelName }, 'redis: dropped a malformed message');
      return;
    }
    for (const listener of channel.listeners) deliver(listener, event);
  }

  private dispatchToEveryStore(channelName: string, message: string): void {
    if (this.everyStore.size === 0) return;
    let event: StoreEvent;
    try {
      event = parseEvent(message);
    } catch (error) {
      logger.error({ err: error, channel: channelName }, 'redis: dropped a malformed message');
      return;
    }
    for (const listener of this.everyStore) deliver(listener, event);
  }

  /**
   * SUBSCRIBE once the connection is ready. ioredis writes SUBSCRIBE at once while a connection is
   * between `connect` and `ready`; the connection then refuses its own ready check ("Connection in
   * subscriber mode"), drops and reconnects, and what was published meanwhile is lost without a
   * resync. Waiting for `ready` keeps the handshake whole.
   */
  private async sendSubscribe(names: string[]): Promise<void> {
    await this.whenReady();
    await this.subscriber.subscribe(...names);
  }

  /** Settles when the subscriber connection is ready; fails after subscribeTimeoutMs (Redis unreachable) or on close. */
  private whenReady(): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The event bus is closed.'));
    if (this.subscriber.status === 'ready') return Promise.resolve();
    if (!this.readiness) {
      const timeoutMs = this.options.subscribeTimeoutMs ?? SUBSCRIBE_TIMEOUT_MS;
      let settle: (error?: Error) => void = () => undefined;
      const promise = new Promise<void>((resolve, reject) => {
        const onReady = () => settle();
        const timer = setTimeout(
          () => settle(new Error(`Redis (${this.subscriberName}) was not ready within ${timeoutMs} ms; try again.`)),
          timeoutMs,
        );
        settle = (error) => {
          clearTimeout(timer);
          this.subscriber.off('ready', onReady);
          this.readiness = null;
          if (error) reject(error);
          else resolve();
        };
        this.subscriber.on('ready', onReady);
      });
      this.readiness = { promise, settle };
    }
    return this.readiness.promise;
  }

  private async resync(): Promise<void> {
    const names = [...this.channels.keys()];
    try {
      if (names.length) await this.sendSubscribe(names);
      if (this.everyStore.size > 0) await this.subscriber.psubscribe(this.everyStorePattern);
    } catch (error) {
      logger.error({ err: error }, 'redis: could not resubscribe after reconnecting; trying again');
      // Until it succeeds, listening stays false (the storefront cache stays bypassed).
      setTimeout(() => {
        if (!this.closed && this.subscriber.status === 'ready') void this.resync();
      }, 1_000).unref();
      return;
    }
    this.interrupted = false;
    for (const channel of this.channels.values()) for (const listener of channel.listeners) listener.onResync?.();
    for (const listener of this.everyStore) listener.onResync?.();
  }
}
