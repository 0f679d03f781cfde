import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus metrics, served at /metrics by every server of the process (the
 * all-in-one process serves the gateway's and all subgraphs' figures from one registry).
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry });

const registers = [metricsRegistry];
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** GraphQL requests answered over HTTP (or in process to a subgraph), by server, operation and outcome. */
export const graphqlRequests = new Counter({
  name: 'commerce_graphql_requests_total',
  help: 'GraphQL requests answered, by service, operation name and outcome (ok, client_error, server_error).',
  labelNames: ['service', 'operation', 'outcome'] as const,
  registers,
});

export const graphqlRequestDuration = new Histogram({
  name: 'commerce_graphql_request_duration_seconds',
  help: 'Time from a GraphQL request read to its answer, by service, operation name and outcome.',
  labelNames: ['service', 'operation', 'outcome'] as const,
  buckets: DURATION_BUCKETS,
  registers,
});

export const graphqlErrors = new Counter({
  name: 'commerce_graphql_errors_total',
  help: 'Errors in GraphQL answers, by service and extensions.code.',
  labelNames: ['service', 'code'] as const,
  registers,
});

export const graphqlRefusals = new Counter({
  name: 'commerce_graphql_refusals_total',
  help: 'Gateway answers refused by a limit (MAX_*_EXCEEDED) or throttled (THROTTLED), by code.',
  labelNames: ['code'] as const,
  registers,
});

export const subgraphFetchDuration = new Histogram({
  name: 'commerce_gateway_subgraph_fetch_duration_seconds',
  help: "The gateway's fetches from subgraphs, by subgraph and outcome (ok, error: no answer or not 2xx).",
  labelNames: ['subgraph', 'outcome'] as const,
  buckets: DURATION_BUCKETS,
  registers,
});

export const storefrontCacheLookups = new Counter({
  name: 'commerce_storefront_cache_lookups_total',
  help: "Anonymous storefront queries looked up in the gateway's response cache, by result (hit, miss).",
  labelNames: ['result'] as const,
  registers,
});

export const checkouts = new Counter({
  name: 'commerce_checkouts_total',
  help: 'checkoutComplete calls by outcome (placed, refused, failed) and the refusal code.',
  labelNames: ['outcome', 'code'] as const,
  registers,
});

/** Values summed into a gauge at each scrape, from whatever is running now. */
class GaugeSources {
  private readonly sources = new Set<() => number | Promise<number>>();

  /** Adds a source; the function returned removes it (when what it measures closes). */
  add(source: () => number | Promise<number>): () => void {
    this.sources.add(source);
    return () => this.sources.delete(source);
  }

  async sum(): Promise<number> {
    let total = 0;
    for (const value of await Promise.all([...this.sources].map((source) => source()))) total += value;
    return total;
  }
}

const subscriptionSocketSources = new GaugeSources();
new Gauge({
  name: 'commerce_subscription_sockets_open',
  help: 'graphql-ws sockets open at the gateway.',
  registers,
  async collect() {
    this.set(await subscriptionSocketSources.sum());
  },
});

/** Counts a subscription server's open sockets in the gauge; returns the function that stops it. */
export function observeSubscriptionSockets(openSockets: () => number): () => void {
  return subscriptionSocketSources.add(openSockets);
}

const outboxLagSources = new GaugeSources();
new Gauge({
  name: 'commerce_outbox_lag_seconds',
  help: 'Age of the oldest outbox event not yet published by the relay (0 when none waits).',
  registers,
  async collect() {
    this.set(await outboxLagSources.sum());
  },
});

/** Reports outbox lag (seconds) at each scrape; returns the function that stops it. */
export function observeOutboxLag(lagSeconds: () => Promise<number>): () => void {
  return outboxLagSources.add(lagSeconds);
}

const analyticsBehindSources = new GaugeSources();
new Gauge({
  name: 'commerce_analytics_stores_behind',
  help: "Stores whose analytics rollups were behind their events at the consumer's last look (0 when caught up).",
  registers,
  async collect() {
    this.set(await analyticsBehindSources.sum());
  },
});

/** Reports how many stores an analytics consumer last found behind; returns the function that stops it. */
export function observeAnalyticsStoresBehind(storesBehind: () => number): () => void {
  return analyticsBehindSources.add(storesBehind);
}

export const mailDeliveries = new Counter({
  name: 'commerce_mail_deliveries_total',
  help: 'Mail outbox delivery attempts by outcome: sent, local (no SMTP server), retry, failed (given up).',
  labelNames: ['outcome'] as const,
  registers,
});

const mailBacklogSources = new GaugeSources();
new Gauge({
  name: 'commerce_mail_outbox_backlog',
  help: 'Mails of every store in the outbox waiting to be sent (PENDING), at the scrape.',
  registers,
  async collect() {
    this.set(await mailBacklogSources.sum());
  },
});

/** Reports the mail outbox backlog at each scrape; returns the function that stops it. */
export function observeMailBacklog(backlog: () => Promise<number>): () => void {
  return mailBacklogSources.add(backlog);
}

/** What a connection pool tells (node-postgres's Pool has these). */
export interface ObservablePool {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
  readonly ended?: boolean;
}

const pools = new Set<ObservablePool>();

function livePools(): ObservablePool[] {
  for (const pool of pools) if (pool.ended) pools.delete(pool);
  return [...pools];
}

new Gauge({
  name: 'commerce_database_pool_connections',
  help: "Connections of the process's database pools, by state (in_use, idle).",
  labelNames: ['state'] as const,
  registers,
  collect() {
    let total = 0;
    let idle = 0;
    for (const pool of livePools()) {
      total += pool.totalCount;
      idle += pool.idleCount;
    }
    this.set({ state: 'in_use' }, total - idle);
    this.set({ state: 'idle' }, idle);
  },
});

new Gauge({
  name: 'commerce_database_pool_waiting',
  help: "Queries waiting for a connection of the process's database pools.",
  registers,
  collect() {
    this.set(livePools().reduce((sum, pool) => sum + pool.waitingCount, 0));
  },
});

/** Counts a pool's connections in the pool gauges until it ends. */
export function observePool(pool: ObservablePool): void {
  pools.add(pool);
}
