import cluster from 'node:cluster';
import type { IncomingMessage, Server } from 'node:http';
import type { ApolloServer, HeaderMap } from '@apollo/server';
import { AnalyticsConsumer } from '@commerce/analytics/read-models';
import { FollowerMailWriter } from '@commerce/customer/follower-mail';
import type { Database } from '@commerce/database';
import {
  announceRelayPasses,
  AnnouncedRelayPulse,
  ClusterEventBus,
  InProcessEventBus,
  OutboxRelay,
  RedisEventBus,
  type EventBus,
  type RelayPulse,
} from '@commerce/events';
import type { StoreSettings } from '@commerce/store/settings';
import { createWebhookDispatcher, type AddressResolver, type WebhookDispatcher } from '@commerce/store/webhooks';
import type { GraphQLSchema } from 'graphql';
import type { RealtimeConfig } from './config.js';
import type { SocketDocumentGate } from './persisted-queries/index.js';
import type { SocketProtection } from './protection/index.js';
import type { SocketAdmission } from './protection/query-cost.js';
import { createGatewayExecutor } from './subscriptions/gateway-executor.js';
import { buildSubscriptionSchema } from './subscriptions/schema.js';
import { startSubscriptionServer, type SubscriptionServer } from './subscriptions/subscription-server.js';
import { webhookPayloadResolver } from './webhooks/webhook-payloads.js';

/** What the webhook dispatcher of a gateway process runs with. */
export interface WebhookStartOptions {
  /** The store subgraph's settings: webhooks, mail (to owners of a webhook turned off) and ADMIN_URL. */
  settings: StoreSettings;
  /** DNS for the delivery-time address check; the system's unless given. */
  resolver?: AddressResolver;
}

export interface RealtimeStartOptions {
  /** The gateway's HTTP server: graphql-ws shares its port and /graphql path. */
  httpServer: Server;
  /** The gateway's Apollo Server, which resolves subscription payloads. */
  apollo: ApolloServer<{ headers: HeaderMap }>;
  /** The process's database handle (the app role). */
  database: Database;
  config: RealtimeConfig;
  /** The trusted-document policy for subscribe messages (the HTTP policy's socket form). */
  trustedDocuments?: SocketDocumentGate;
  /** Query limits and safe strings for subscribe messages (the HTTP path's, on the socket). */
  protection: SocketProtection;
  /** Query cost and rate limits for subscribe messages. */
  socketAdmission?: SocketAdmission;
  /** The client's address of an upgrade request (proxy-aware). */
  clientAddress?: (request: IncomingMessage) => string;
  /** Whether this process runs the outbox relay: of several worker processes, only one does. */
  runsRelay: boolean;
  /** Webhook delivery, beside the relay. */
  webhooks: WebhookStartOptions;
  /** The new-product mail to stores' followers, beside the relay: where storefronts live (STOREFRONT_URL). */
  followerMail: { storefrontUrl: string };
}

/** The event path of a gateway process: bus, outbox relay and subscription server. */
export interface Realtime {
  bus: EventBus;
  /** The outbox relay, in the process that runs it; null in the other workers. */
  relay: OutboxRelay | null;
  /** When the relay feeding the bus last made a pass: this process's own, or the one another worker announces. */
  relayPulse: RelayPulse;
  /** Keeps the analytics rollups up to the outbox (DESIGN §14), beside the relay; null where the relay does not run. */
  analytics: AnalyticsConsumer | null;
  /** Sends webhooks from the outbox (DESIGN §14), beside the relay; null where the relay does not run. */
  webhooks: WebhookDispatcher | null;
  /** Writes followers' new-product mail from the outbox, beside the relay; null where the relay does not run. */
  followerMail: FollowerMailWriter | null;
  subscriptions: SubscriptionServer;
  close(): Promise<void>;
}

let schema: GraphQLSchema | undefined;

/** The bus across every gateway process with REDIS_URL; else across the workers of one primary, or within this process. */
function createBus(config: RealtimeConfig): EventBus {
  if (config.redisUrl) return new RedisEventBus({ url: config.redisUrl, keyPrefix: config.keyPrefix });
  return cluster.isWorker ? new ClusterEventBus() : new InProcessEventBus();
}

/**
 * Starts the gateway process's part of DESIGN §8: the event bus (Redis, or without REDIS_URL the
 * workers' or the process's own), the outbox relay that feeds it and the analytics consumer that
 * follows it where this process runs them, and
 * graphql-ws on the gateway's /graphql.
 */
export async function startRealtime(options: RealtimeStartOptions): Promise<Realtime> {
  const { config, database } = options;
  const bus = createBus(config);
  let relay: OutboxRelay | null = null;
  let analytics: AnalyticsConsumer | null = null;
  let webhooks: WebhookDispatcher | null = null;
  let followerMail: FollowerMailWriter | null = null;
  let relayPulse: RelayPulse;
  schema ??= buildSubscriptionSchema();
  const execute = createGatewayExecutor(options.apollo);
  let stopPulse: () => void;
  if (options.runsRelay) {
    relay = new OutboxRelay({
      prisma: database.prisma,
      bus,
      connectionString: config.relayDatabaseUrl,
      wakeOnCommit: config.relayWakeOnCommit,
      pollIntervalMs: config.relayPollIntervalMs,
      retentionMs: config.outboxRetentionMs,
    });
    analytics = new AnalyticsConsumer({
      prisma: database.prisma,
      bus,
      connectionString: config.relayDatabaseUrl,
      pollIntervalMs: config.relayPollIntervalMs,
    });
    webhooks = createWebhookDispatcher({
      database,
      settings: options.webhooks.settings.webhooks,
      mail: options.webhooks.settings.mail,
      adminUrl: options.webhooks.settings.adminUrl,
      resolvePayload: webhookPayloadResolver(schema, { database, bus, execute }),
      bus,
      resolver: options.webhooks.resolver,
      connectionString: config.relayDatabaseUrl,
    });
    followerMail = new FollowerMailWriter({
      database,
      bus,
      storefrontUrl: options.followerMail.storefrontUrl,
      pollIntervalMs: config.relayPollIntervalMs,
    });
    try {
      await relay.start();
      await analytics.start();
      await webhooks.start();
      await followerMail.start();
    } catch (error) {
      await followerMail.stop();
      await webhooks.stop();
      await analytics.stop();
      await relay.stop();
      await bus.close();
      throw error;
    }
    relayPulse = relay;
    stopPulse = cluster.isWorker ? announceRelayPasses(relay) : () => undefined;
  } else {
    const announced = new AnnouncedRelayPulse(config.relayPollIntervalMs);
    relayPulse = announced;
    stopPulse = () => announced.close();
  }
  const subscriptions = startSubscriptionServer({
    httpServer: options.httpServer,
    schema,
    services: { database, bus, execute },
    maxSubscriptionsPerSocket: config.maxSubscriptionsPerSocket,
    maxSocketsPerClient: config.maxSocketsPerClient,
    keepAliveMs: config.keepAliveMs,
    trustedDocuments: options.trustedDocuments,
    protection: options.protection,
    admission: options.socketAdmission,
    clientAddress: options.clientAddress,
  });
  return {
    bus,
    relay,
    relayPulse,
    analytics,
    webhooks,
    followerMail,
    subscriptions,
    async close() {
      await subscriptions.close();
      stopPulse();
      await followerMail?.stop();
      await webhooks?.stop();
      await analytics?.stop();
      await relay?.stop();
      await bus.close();
    },
  };
}
