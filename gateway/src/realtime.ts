import cluster from 'node:cluster';
import type { IncomingMessage, Server } from 'node:http';
import type { ApolloServer, HeaderMap } from '@apollo/server';
import { AnalyticsConsumer } from '@commerce/analytics/read-models';
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
  /** Whether this process runs the outbox relay: of several worker processes, only one does. */
  runsRelay: boolean;
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
  let relayPulse: RelayPulse;
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
    try {
      await relay.start();
      await analytics.start();
    } catch (error) {
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
    relayPulse,
    analytics,
    subscriptions,
    async close() {
      await subscriptions.close();
      stopPulse();
      await analytics?.stop();
      await relay?.stop();
      await bus.close();
    },
  };
}
