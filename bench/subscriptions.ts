// `pnpm bench:subscriptions` (also the last part of `pnpm bench`): holds BENCH_SUBSCRIPTIONS
// (10,000) graphql-ws subscriptions open on one gateway process, each on its own socket, then
// commits stock changes and measures how long each event takes from its commit to the client
// (p50/p95/p99), and what an idle socket costs the gateway in memory. Writes
// bench/results/subscriptions.json.
//
// Two processes hold ~10,000 sockets each (this one, the clients; its child, the whole graph), so
// each needs that many file descriptors: if `ulimit -n` says less than ~11,000, raise it first
// (`ulimit -n 20000`). With REDIS_URL set, events go through Redis as between replicas; without it,
// in-process. DATABASE_URL as for `pnpm bench` (a fresh database on that server, else embedded).
//
// The subscribers are anonymous storefront shoppers (X-Store: demo) watching
// inventoryUpdated of BENCH_SUBSCRIPTION_PRODUCTS products, spread evenly; the writer commits
// BENCH_SUBSCRIPTION_EVENTS stock changes in turn over those products, one every
// BENCH_SUBSCRIPTION_INTERVAL_MS, as inventoryAdjust does (level and outbox row in one transaction).
import { fork } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { appDatabaseUrl, openDatabase, inScope, type PrismaClient } from '@commerce/database';
import { appendOutboxEvent } from '@commerce/events';
import { toGlobalId } from '@commerce/graphql-kit';
import { createThrowawayDatabase, eventually } from '@commerce/testkit/setup';
import { DEMO, seedDemo } from '../prisma/seed.js';

// A line per request would be written by the graph processes for every request of the load (and
// read by this process): the figures are of the graph, so its request lines are off unless asked for.
process.env.LOG_LEVEL ??= 'warn';

const SUBSCRIPTIONS = Number(process.env.BENCH_SUBSCRIPTIONS ?? 10_000);
const PRODUCTS = Number(process.env.BENCH_SUBSCRIPTION_PRODUCTS ?? 50);
const EVENTS = Number(process.env.BENCH_SUBSCRIPTION_EVENTS ?? 200);
const INTERVAL_MS = Number(process.env.BENCH_SUBSCRIPTION_INTERVAL_MS ?? 50);
const ROOMY_BUCKET = { maximumAvailable: 1_000_000_000, restoreRate: 1_000_000_000 };
const CONNECT_CONCURRENCY = 250;

const SUBSCRIPTION = `subscription StockWatch($productId: ID!) {
  inventoryUpdated(productId: $productId) { sequence available delta variant { id sku inventory { available } } }
}`;

interface GatewayStats {
  sockets: number;
  started: number;
  subscriptions: number;
  executions: number;
  memory: NodeJS.MemoryUsage;
}

type ToGateway = { kind: 'stats'; gc: boolean };
type FromGateway = { kind: 'ready'; url: string } | ({ kind: 'stats' } & GatewayStats);

// ---------------------------------------------------------------------------------------------
// The gateway process: the whole graph, answering stats requests over IPC.

async function serveGateway(): Promise<void> {
  const { startGraph } = await import('@commerce/gateway/all-in-one');
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is required');
  const appUrl = appDatabaseUrl(databaseUrl);
  const database = openDatabase({ connectionString: appUrl, poolSize: 10 });
  const graph = await startGraph({
    database,
    host: '127.0.0.1',
    // Every subscriber connects from 127.0.0.1, as one anonymous client.
    realtime: { relayDatabaseUrl: appUrl, maxSocketsPerClient: SUBSCRIPTIONS + 100 },
    // ... whose bucket holds every subscription's cost (each is still computed and taken).
    queryCost: { buckets: { anonymous: ROOMY_BUCKET, customer: ROOMY_BUCKET, staff: ROOMY_BUCKET } },
  });
  const collect = global.gc;
  process.on('message', (message: ToGateway) => {
    if (message.kind !== 'stats') return;
    if (message.gc && collect) {
      collect();
      collect();
    }
    const { subscriptions } = graph.realtime;
    const stats: FromGateway = {
      kind: 'stats',
      sockets: subscriptions.sockets,
      started: subscriptions.hub.started,
      subscriptions: subscriptions.hub.subscriptions,
      executions: subscriptions.hub.executions,
      memory: process.memoryUsage(),
    };
    process.send?.(stats);
  });
  process.once('SIGTERM', () => {
    void graph
      .close()
      .then(() => database.disconnect())
      .then(() => process.exit(0));
  });
  process.send?.({ kind: 'ready', url: graph.url } satisfies FromGateway);
}

// ---------------------------------------------------------------------------------------------
// The runner: database, clients, writer, measurements.

interface Watched {
  productId: string;
  variantId: string;
  levelId: string;
  locationId: string;
  productKey: string;
  variantKey: string;
}

async function watchedProducts(owner: PrismaClient, count: number): Promise<{ storeId: string; products: Watched[] }> {
  const store = await owner.store.findUniqueOrThrow({ where: { slug: DEMO.storeSlug } });
  const levels = await owner.inventoryLevel.findMany({
    where: { storeId: store.id, variant: { product: { status: 'ACTIVE' } } },
    include: { variant: { select: { productId: true } } },
    orderBy: { id: 'asc' },
  });
  const byProduct = new Map<string, (typeof levels)[number]>();
  for (const level of levels)
    if (!byProduct.has(level.variant.productId)) byProduct.set(level.variant.productId, level);
  const products = [...byProduct.values()].slice(0, count).map((level) => ({
    productId: toGlobalId('Product', level.variant.productId),
    variantId: toGlobalId('ProductVariant', level.variantId),
    levelId: level.id,
    locationId: level.locationId,
    productKey: level.variant.productId,
    variantKey: level.variantId,
  }));
  if (products.length < count) throw new Error(`the demo store has only ${products.length} products with stock`);
  return { storeId: store.id, products };
}

/** A stock change as inventoryAdjust commits it: the level and its inventory.updated event in one transaction. */
async function commitStockChange(app: PrismaClient, storeId: string, product: Watched): Promise<bigint> {
  return inScope(app, { storeId }, async (tx) => {
    const level = await tx.inventoryLevel.update({
      where: { storeId_id: { storeId, id: product.levelId } },
      data: { available: { increment: 1 } },
    });
    return appendOutboxEvent(tx, {
      storeId,
      type: 'inventory.updated',
      aggregateType: 'ProductVariant',
      aggregateId: product.variantKey,
      payload: {
        productId: product.productId,
        variantId: product.variantId,
        locationId: toGlobalId('InventoryLocation', product.locationId),
        available: level.available,
        committed: level.committed,
        onHand: level.available + level.committed,
        delta: 1,
      },
    });
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function run(): Promise<void> {
  const db = await createThrowawayDatabase('commerce_bench_subscriptions');
  const child = fork(fileURLToPath(import.meta.url), ['--gateway'], {
    env: { ...process.env, DATABASE_URL: db.url },
    execArgv: ['--expose-gc', '--import', 'tsx'],
  });
  const clients: Client[] = [];
  const pendingStats: Array<(stats: GatewayStats) => void> = [];
  child.on('message', (message: FromGateway) => {
    if (message.kind === 'stats') pendingStats.shift()?.(message);
  });
  const stats = (gc = false) =>
    new Promise<GatewayStats>((resolve) => {
      pendingStats.push(resolve);
      child.send({ kind: 'stats', gc } satisfies ToGateway);
    });
  try {
    const owner = openDatabase({ connectionString: db.url, poolSize: 2 }).prisma;
    await seedDemo(owner);
    const { storeId, products } = await watchedProducts(owner, PRODUCTS);
    await owner.$disconnect();
    const app = openDatabase({ connectionString: appDatabaseUrl(db.url), poolSize: 4 }).prisma;
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (message: FromGateway) =>
        message.kind === 'ready' ? resolve(message.url) : reject(new Error('unexpected message')),
      );
      child.once('exit', (code) => reject(new Error(`the gateway process exited with ${code}`)));
    });
    const wsUrl = url.replace(/^http/, 'ws');

    // Who watches what, and when each of their events arrived.
    const commits = new Map<string, number>();
    // Events that reached a client before this process saw their COMMIT acknowledged.
    const early = new Map<string, number[]>();
    const latencies: number[] = [];
    let received = 0;
    let errors = 0;
    let beforeAcknowledged = 0;
    const committed = (sequence: string, at: number) => {
      commits.set(sequence, at);
      for (const arrived of early.get(sequence) ?? []) latencies.push(Math.max(0, arrived - at));
      early.delete(sequence);
    };
    const subscribe = (client: Client, product: Watched) =>
      client.subscribe<{ inventoryUpdated: { sequence: string } }>(
        { query: SUBSCRIPTION, variables: { productId: product.productId } },
        {
          next: (result) => {
            const arrived = performance.now();
            received += 1;
            const sequence = result.data?.inventoryUpdated.sequence;
            if (result.errors || sequence === undefined) {
              errors += 1;
              return;
            }
            const at = commits.get(sequence);
            if (at !== undefined) {
              latencies.push(arrived - at);
              return;
            }
            beforeAcknowledged += 1;
            early.set(sequence, [...(early.get(sequence) ?? []), arrived]);
          },
          error: () => {
            errors += 1;
          },
          complete: () => undefined,
        },
      );
    const newClient = () =>
      createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { store: DEMO.storeSlug },
        lazy: true,
        retryAttempts: 0,
        keepAlive: 0,
      });

    // Warm up the code paths once, so the baseline below is the process, not its first request.
    const warmProduct = products[0];
    if (!warmProduct) throw new Error('no product to watch');
    const warm = newClient();
    const warmStop = subscribe(warm, warmProduct);
    await eventually('the warm-up subscription', async () => (await stats()).started >= 1, 30_000);
    committed((await commitStockChange(app, storeId, warmProduct)).toString(), performance.now());
    await eventually('the warm-up event', () => received >= 1, 30_000);
    warmStop();
    await warm.dispose();
    await eventually('the warm-up socket to close', async () => (await stats()).sockets === 0, 30_000);
    latencies.length = 0;
    received = 0;
    errors = 0;
    beforeAcknowledged = 0;

    const baseline = await stats(true);
    const connectStarted = performance.now();
    for (let next = 0; next < SUBSCRIPTIONS; next += CONNECT_CONCURRENCY) {
      const batch = Math.min(CONNECT_CONCURRENCY, SUBSCRIPTIONS - next);
      for (let index = 0; index < batch; index += 1) {
        const client = newClient();
        clients.push(client);
        const product = products[(next + index) % products.length];
        if (product) subscribe(client, product);
      }
      const target = baseline.started + next + batch;
      await eventually(`${next + batch} subscriptions`, async () => (await stats()).started >= target, 120_000);
    }
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const idle = await stats(true);
    const perSocket = (field: keyof NodeJS.MemoryUsage) =>
      (idle.memory[field] - baseline.memory[field]) / SUBSCRIPTIONS / 1024;
    const heapPerSocketKiB =
      (idle.memory.heapUsed + idle.memory.external - baseline.memory.heapUsed - baseline.memory.external) /
      SUBSCRIPTIONS /
      1024;

    // Events: one every INTERVAL_MS, in turn over the watched products.
    const subscribersPerProduct = products.map(
      (_, index) => Math.floor(SUBSCRIPTIONS / products.length) + (index < SUBSCRIPTIONS % products.length ? 1 : 0),
    );
    let expected = 0;
    for (let index = 0; index < EVENTS; index += 1) {
      const productIndex = index % products.length;
      const product = products[productIndex];
      if (!product) continue;
      const sequence = await commitStockChange(app, storeId, product);
      committed(sequence.toString(), performance.now());
      expected += subscribersPerProduct[productIndex] ?? 0;
      await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
    }
    await eventually(`${expected} deliveries (got ${received})`, () => received >= expected, 120_000).catch(
      (error: unknown) => console.error(String(error)),
    );
    await app.$disconnect();

    const sorted = [...latencies].sort((a, b) => a - b);
    const result = {
      subscriptions: SUBSCRIPTIONS,
      sockets: idle.sockets,
      executions: idle.executions,
      watchedProducts: products.length,
      events: EVENTS,
      eventIntervalMs: INTERVAL_MS,
      transport: process.env.REDIS_URL ? 'redis' : 'in-process',
      connectSeconds: round(connectSeconds),
      deliveries: { expected, received, errors, beforeCommitAcknowledged: beforeAcknowledged },
      latencyMs: {
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted.at(-1) ?? Number.NaN),
      },
      memoryPerIdleSocketKiB: { heapAndExternal: round(heapPerSocketKiB), rss: round(perSocket('rss')) },
    };
    const machine = {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    };
    console.log(
      `${SUBSCRIPTIONS} subscriptions on ${idle.sockets} sockets (${idle.executions} shared executions), ${products.length} products, ${EVENTS} events every ${INTERVAL_MS} ms over ${result.transport}\n` +
        `  delivered ${received}/${expected} (${errors} errors, ${beforeAcknowledged} before the writer saw its commit) · commit → client p50 ${result.latencyMs.p50} ms · p95 ${result.latencyMs.p95} ms · p99 ${result.latencyMs.p99} ms · max ${result.latencyMs.max} ms\n` +
        `  gateway memory per idle socket: ${result.memoryPerIdleSocketKiB.heapAndExternal} KiB heap+external, ${result.memoryPerIdleSocketKiB.rss} KiB RSS · connected in ${result.connectSeconds} s\n` +
        `machine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}; written to bench/results/subscriptions.json`,
    );
    const directory = fileURLToPath(new URL('./results/', import.meta.url));
    await mkdir(directory, { recursive: true });
    await writeFile(
      path.join(directory, 'subscriptions.json'),
      `${JSON.stringify({ at: new Date().toISOString(), machine, ...result }, null, 2)}\n`,
    );
  } finally {
    await Promise.all(clients.map((client) => client.dispose()));
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await db.drop();
  }
}

if (process.argv.includes('--gateway')) await serveGateway();
else await run();
