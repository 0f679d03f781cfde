// `pnpm bench:staleness` (also part of `pnpm bench`): how long a cached storefront answer stays
// stale after a change, on the running graph. The demo store's owner changes a variant's price
// (productVariantsUpdate); from the moment its answer arrives, an anonymous storefront reads the
// listing back to back (answers from the gateway's cache until it hears of the change) until it
// shows the new price. Before each change the listing is read until it comes from the cache, and
// a random pause (up to one poll interval) keeps the changes from falling in step with the polls.
// Two runs, each on a graph of its own in this process:
//   - wake-ups: the relay is woken by the commit (as in one process) and LISTENs (as for subgraphs
//     elsewhere); the bound is the publication itself;
//   - wake-ups lost: no wake-up and no LISTEN, the relay finds the change at its next poll; the
//     bound is OUTBOX_POLL_INTERVAL_MS plus the publication.
// Prints p50/p95/max per run and writes bench/results/staleness.json. BENCH_STALENESS_CHANGES
// (default 40) changes per run; DATABASE_URL as for `pnpm bench` (a fresh database on that server,
// else embedded); REDIS_URL, when set, carries the events as between replicas.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { GraphOptions } from '@commerce/gateway/all-in-one';

// The graph runs in this process and would log a line per request: the logger reads this as its
// module loads, so everything that loads it is imported below, after it is set.
process.env.LOG_LEVEL ??= 'warn';
const { openDatabase } = await import('@commerce/database');
const { startGraph } = await import('@commerce/gateway/all-in-one');
const { edgeSettingsFromEnvironment } = await import('@commerce/gateway/edge-settings');
const { storefrontCacheLookups } = await import('@commerce/observability');
const { createThrowawayDatabase, eventually } = await import('@commerce/testkit/setup');
const { DEMO, seedDemo } = await import('../prisma/seed.js');

const CHANGES = Number(process.env.BENCH_STALENESS_CHANGES ?? 40);
const ROOMY_BUCKET = { maximumAvailable: 1_000_000_000, restoreRate: 1_000_000_000 };

const LISTING = `query Listing { store { products(first: 24, sortKey: CREATED_AT) { nodes { id title variants(first: 3) { nodes { id price { amount } } } } } } }`;
const REPRICE = `mutation Reprice($input: ProductVariantsUpdateInput!) { productVariantsUpdate(input: $input) { userErrors { code message } } }`;

type Json = Record<string, any>;

async function post(url: string, query: string, variables: Json, headers: Record<string, string>): Promise<Json> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-store': DEMO.storeSlug, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Json;
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

async function cacheHits(): Promise<number> {
  const { values } = await storefrontCacheLookups.get();
  return values.find((value) => value.labels.result === 'hit')?.value ?? 0;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** Staleness in ms of CHANGES price changes on a graph with these event settings. */
async function measure(appUrl: string, realtime: GraphOptions['realtime'], pollIntervalMs: number): Promise<number[]> {
  const database = openDatabase({ connectionString: appUrl, poolSize: 10 });
  const graph = await startGraph({
    database,
    host: '127.0.0.1',
    storefrontCache: { ttlSeconds: 60, maxEntries: 10_000 },
    realtime,
    queryCost: { buckets: { anonymous: ROOMY_BUCKET, customer: ROOMY_BUCKET, staff: ROOMY_BUCKET } },
  });
  try {
    const login = await post(
      graph.url,
      `mutation ($input: SellerLogInInput!) { sellerLogIn(input: $input) { accessToken } }`,
      { input: { email: DEMO.sellerEmail, password: DEMO.sellerPassword } },
      {},
    );
    const staff = { authorization: `Bearer ${login.sellerLogIn.accessToken}` };
    const read = () => post(graph.url, LISTING, {}, {});
    const first = (await read()).store.products.nodes[0];
    const variant = first.variants.nodes[0];
    let price = Number(variant.price.amount);
    const shown = (data: Json) =>
      Number(data.store.products.nodes[0].variants.nodes.find((node: Json) => node.id === variant.id).price.amount);

    const stale: number[] = [];
    for (let change = 0; change < CHANGES; change++) {
      // The listing as the cache holds it: a read that was a hit.
      await eventually('an answer from the cache', async () => {
        const hits = await cacheHits();
        await read();
        return (await cacheHits()) > hits;
      });
      await new Promise((resolve) => setTimeout(resolve, Math.random() * pollIntervalMs));
      price = change % 2 === 0 ? price + 1 : price - 1;
      const answer = await post(
        graph.url,
        REPRICE,
        { input: { productId: first.id, variants: [{ id: variant.id, price: price.toFixed(2) }] } },
        staff,
      );
      if (answer.productVariantsUpdate.userErrors.length)
        throw new Error(JSON.stringify(answer.productVariantsUpdate.userErrors));
      const changedAt = performance.now();
      while (shown(await read()) !== price) {
        if (performance.now() - changedAt > 60_000) throw new Error('the change did not reach the storefront');
      }
      stale.push(performance.now() - changedAt);
    }
    return stale.sort((a, b) => a - b);
  } finally {
    await graph.close();
    await database.disconnect();
  }
}

async function main(): Promise<void> {
  const db = await createThrowawayDatabase('commerce_bench_staleness');
  try {
    const owner = openDatabase({ connectionString: db.url, poolSize: 2 });
    await seedDemo(owner.prisma);
    await owner.disconnect();
    // The event settings from the environment, as pnpm start reads them.
    const { realtime } = edgeSettingsFromEnvironment();
    const pollIntervalMs = realtime.relayPollIntervalMs;
    const runs = [
      { name: 'wake-ups', realtime: { ...realtime, relayDatabaseUrl: db.appUrl } },
      {
        name: 'wake-ups lost (polling only)',
        realtime: { ...realtime, relayDatabaseUrl: null, relayWakeOnCommit: false },
      },
    ];
    const results = [];
    for (const run of runs) {
      const stale = await measure(db.appUrl, run.realtime, pollIntervalMs);
      const result = {
        run: run.name,
        changes: stale.length,
        staleMs: {
          p50: round(percentile(stale, 50)),
          p95: round(percentile(stale, 95)),
          max: round(stale.at(-1) ?? 0),
        },
      };
      results.push(result);
      console.log(
        `[${run.name}] ${result.changes} price changes: stale for p50 ${result.staleMs.p50} ms · p95 ${result.staleMs.p95} ms · max ${result.staleMs.max} ms after the mutation's answer`,
      );
    }
    const machine = {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadAverage: os.loadavg().map((load) => Math.round(load * 10) / 10),
    };
    const bus = realtime.redisUrl ? 'redis' : 'in-process';
    const directory = fileURLToPath(new URL('./results/', import.meta.url));
    await mkdir(directory, { recursive: true });
    await writeFile(
      path.join(directory, 'staleness.json'),
      `${JSON.stringify({ at: new Date().toISOString(), machine, bus, pollIntervalMs, results }, null, 2)}\n`,
    );
    console.log(
      `\nmachine: ${machine.cpus} cores (${machine.cpuModel}), load ${machine.loadAverage.join(' ')}, Node ${machine.node}; events ${bus}; OUTBOX_POLL_INTERVAL_MS ${pollIntervalMs}; written to bench/results/staleness.json`,
    );
  } finally {
    await db.drop();
  }
}

await main();
