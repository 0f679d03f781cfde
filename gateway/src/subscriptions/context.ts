import type { Database } from '@commerce/database';
import type { EventBus } from '@commerce/events';
import type { GatewayExecutor } from './gateway-executor.js';
import type { Subscriber } from './subscriber.js';

/** What the subscription resolvers run on. */
export interface SubscriptionServices {
  /** The process's database handle (tenant-scoped outbox reads, permission checks). */
  database: Database;
  bus: EventBus;
  /** Queries through the gateway (payloads, visibility checks). */
  execute: GatewayExecutor;
}

/** The context of one subscription: its socket's subscriber and the services. */
export interface SubscriptionContext {
  subscriber: Subscriber;
  services: SubscriptionServices;
  /**
   * Subscriptions with the same key share one execution and its results: the same document,
   * variables and credentials, and no replay. Null for a subscription of its own.
   */
  shareKey: string | null;
}
