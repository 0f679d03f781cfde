import type { IncomingMessage, Server } from 'node:http';
import type { ApolloServer, HeaderMap } from '@apollo/server';
import { AnalyticsConsumer } from '@commerce/analytics/read-models';
import type { Database } from '@commerce/database';
import { InProcessEventBus, OutboxRelay, RedisEventBus, type EventBus } from '@commerce/events';
import type { GraphQLSchema } from 'graphql';
import type { RealtimeConfig } from './config.js';
import type { SocketDocumentGate } from './persisted-queries/index.js';
import type { SocketProtection } from './protection/index.js';
import type { SocketAdmission } from './protection/query-cost.js';
import { createGatewayExecutor } from './subscriptions/gateway-executor.js';
import { buildSubscriptionSchema } from './subscriptions/schema.js';
import { startSubscriptionServer, type SubscriptionServer } from './subscriptions/subscription-server.js';

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
}

/** The event path of a gateway process: bus, outbox relay and subscription server. */
export interface Realtime {
  bus: EventBus;
  relay: OutboxRelay;
  /** Keeps the analytics rollups up to the outbox (DESIGN §14). */
  analytics: AnalyticsConsumer;
  subscriptions: SubscriptionServer;
  close(): Promise<void>;
}

let schema: GraphQLSchema | undefined;

/**
 * Starts the gateway process's part of DESIGN §8: the event bus (Redis, or in-process without
 * REDIS_URL), the outbox relay that feeds it, the analytics consumer that follows it, and
 * graphql-ws on the gateway's /graphql.
 */
export async function startRealtime(options: RealtimeStartOptions): Promise<Realtime> {
  const { config, database } = options;
  const bus: EventBus = config.redisUrl
    ? new RedisEventBus({ url: config.redisUrl, keyPrefix: config.keyPrefix })
    : new InProcessEventBus();
  const relay = new OutboxRelay({
    prisma: database.prisma,
    bus,
    connectionString: config.relayDatabaseUrl,
    wakeOnCommit: config.relayWakeOnCommit,
    pollIntervalMs: config.relayPollIntervalMs,
    retentionMs: config.outboxRetentionMs,
  });
  const analytics = new AnalyticsConsumer({
    prisma: database.prisma,
    bus,
    connectionString: config.relayDatabaseUrl,
    pollIntervalMs: config.relayPollIntervalMs,
  });
  try {
    await relay.start();
    await analytics.start();
  } catch (error) {
    await relay.stop();
    await bus.close();
    throw error;
  }
  schema ??= buildSubscriptionSchema();
  const subscriptions = startSubscriptionServer({
    httpServer: options.httpServer,
    schema,
    services: { database, bus, execute: createGatewayExecutor(options.apollo) },
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
    analytics,
    subscriptions,
    async close() {
      await subscriptions.close();
      await analytics.stop();
      await relay.stop();
      await bus.close();
    },
  };
}
