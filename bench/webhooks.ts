// `pnpm bench:webhooks`: webhook delivery from the outbox to a receiver on loopback. The graph runs
// in a process of its own (the dispatcher beside its relay, events in process); this process seeds
// BENCH_WEBHOOK_STORES stores (default 100), each with a product and one webhook on
// INVENTORY_UPDATED whose payload reads the variant (catalog) and the store (store subgraph)
// through the gateway, then commits BENCH_WEBHOOK_EVENTS events (default 10,000) to the outbox:
// rounds of one stock event per store, each round one transaction, committed as fast as they go
// (a burst: the lag includes the queue) and, second, at BENCH_WEBHOOK_RATE events/s (default 10;
// the lag of a steady stream). It reports deliveries per second and the lag from commit to the
// receiver's answer (p50/p95/max), and writes bench/results/webhooks.json. DATABASE_URL as for
// `pnpm bench` (a fresh database on that server, else embedded).
import { createServer } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

process.env.LOG_LEVEL ??= 'warn';
const { openDatabase } = await import('@commerce/database');
const { createThrowawayDatabase } = await import('@commerce/testkit/setup');
const { forkGraph } = await import('@commerce/testkit/graph-process');
const { GraphClient } = await import('@commerce/testkit/client');
const { createStore, keyOf } = await import('@commerce/testkit/seed');
const { createStockedProduct } = await import('@commerce/testkit/realtime-kit');
const { createWebhook } = await import('@commerce/testkit/webhook-kit');

const STORES = Number(process.env.BENCH_WEBHOOK_STORES ?? 100);
const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 10_000);
const RATE = Number(process.env.BENCH_WEBHOOK_RATE ?? 10);
const PAYLOAD = `subscription { webhookEvent { sequence store { id name } ... on InventoryWebhookEvent { variant { sku inventory { available } } } } }`;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
const round = (value: number) => Math.round(value * 10) / 10;

/** A receiver on loopback that notes when each (store, sequence) arrived. */
async function startReceiver() {
  const arrivals = new Map<string, number>();
  let requests = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests += 1;
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        data: { sequence: string; store: { id: string } };
      };
      const key = `${keyOf(body.data.store.id)}:${body.data.sequence}`;
      if (!arrivals.has(key)) arrivals.set(key, performance.now());
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`,
    arrivals,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function main(): Promise<void> {
  const db = await createThrowawayDatabase('commerce_bench_webhooks');
  const receiver = await startReceiver();
  const graph = await forkGraph(db.url, {
    REDIS_URL: '',
    LOG_LEVEL: 'warn',
    WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
    WEBHOOK_ALLOW_HTTP_LOOPBACK: 'true',
  });
  const owner = openDatabase({ connectionString: db.url, poolSize: 2 });
  try {
    const client = new GraphClient(graph.url);
    const stores: Array<{ storeId: string; variantId: string }> = [];
    for (let i = 0; i < STORES; i += 1) {
      const store = await createStore(client);
      const product = await createStockedProduct(client, store, { stock: 1_000 });
      await createWebhook(client, store, { url: receiver.url, topics: ['INVENTORY_UPDATED'], query: PAYLOAD });
      stores.push({ storeId: keyOf(store.id), variantId: keyOf(product.variantId) });
    }
    const storeIds = stores.map((store) => store.storeId);
    const variantIds = stores.map((store) => store.variantId);
    // Committed as a stock change commits its event: the store's counter moves on, the event is
    // inserted, the relays are woken (NOTIFY, as from a subgraph in another process).
    const commitRound = async (): Promise<Map<string, number>> => {
      const rows = await owner.prisma.$queryRaw<Array<{ storeId: string; sequence: bigint }>>`
        WITH counter AS (
          UPDATE "StoreCounter" SET "lastEventSequence" = "lastEventSequence" + 1
          WHERE "storeId" = ANY (${storeIds}::uuid[]) RETURNING "storeId", "lastEventSequence"
        )
        INSERT INTO "OutboxEvent" ("storeId", "sequence", "type", "aggregateType", "aggregateId", "payload")
        SELECT c."storeId", c."lastEventSequence", 'inventory.updated', 'ProductVariant', v."variantId", '{}'::jsonb
        FROM counter c JOIN unnest(${storeIds}::uuid[], ${variantIds}::text[]) AS v("storeId", "variantId") ON v."storeId" = c."storeId"
        RETURNING "storeId"::text, "sequence"`;
      const at = performance.now();
      await owner.prisma.$executeRaw`SELECT pg_notify('outbox_event', '')`;
      return new Map(rows.map((row) => [`${row.storeId}:${row.sequence}`, at]));
    };
    const run = async (name: string, events: number, rate: number | null) => {
      const rounds = Math.ceil(events / STORES);
      const committed = new Map<string, number>();
      const started = performance.now();
      for (let round = 0; round < rounds; round += 1) {
        if (rate) {
          const due = started + (round * STORES * 1_000) / rate;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
        for (const [key, at] of await commitRound()) committed.set(key, at);
      }
      const deadline = performance.now() + 3_600_000;
      let reported = performance.now();
      for (;;) {
        const delivered = [...committed.keys()].filter((key) => receiver.arrivals.has(key)).length;
        if (delivered === committed.size) break;
        if (performance.now() > deadline) throw new Error(`${name}: not every event was delivered within an hour`);
        if (performance.now() - reported > 10_000) {
          reported = performance.now();
          const seconds = (reported - started) / 1_000;
          console.log(`[${name}] ${delivered}/${committed.size} delivered after ${Math.round(seconds)} s`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const lags = [...committed].map(([key, at]) => (receiver.arrivals.get(key) ?? at) - at).sort((a, b) => a - b);
      const last = Math.max(...[...committed.keys()].map((key) => receiver.arrivals.get(key) ?? 0));
      const result = {
        run: name,
        events: committed.size,
        webhooks: STORES,
        deliveriesPerSecond: round((committed.size / (last - started)) * 1_000),
        lagMs: { p50: round(percentile(lags, 50)), p95: round(percentile(lags, 95)), max: round(lags.at(-1) ?? 0) },
      };
      console.log(
        `[${name}] ${result.events} events to ${result.webhooks} webhooks: ${result.deliveriesPerSecond} deliveries/s; commit → delivery p50 ${result.lagMs.p50} ms · p95 ${result.lagMs.p95} ms · max ${result.lagMs.max} ms`,
      );
      return result;
    };
    const results = [
      await run('burst', EVENTS, null),
      await run(`steady ${RATE}/s`, Math.min(EVENTS, RATE * 20), RATE),
    ];
    const requests = receiver.requests();
    const machine = {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      loadAverage: os.loadavg().map((load) => Math.round(load * 10) / 10),
    };
    const directory = fileURLToPath(new URL('./results/', import.meta.url));
    await mkdir(directory, { recursive: true });
    await writeFile(
      path.join(directory, 'webhooks.json'),
      `${JSON.stringify({ at: new Date().toISOString(), machine, requests, results }, null, 2)}\n`,
    );
    console.log(
      `\nmachine: ${machine.cpus} cores (${machine.cpuModel}), load ${machine.loadAverage.join(' ')}, Node ${machine.node}; ${requests} requests received; written to bench/results/webhooks.json`,
    );
  } finally {
    await owner.disconnect();
    await graph.stop();
    await receiver.close();
    await db.drop();
  }
}

await main();
