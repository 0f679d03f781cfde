// `pnpm bench:workers`: the cold storefront listing (cache off) served by one process and by
// WEB_CONCURRENCY worker processes (default: one per core), over a fresh database seeded as
// `pnpm bench` seeds it. Both graphs run at once and are loaded in turns (1, N, N, 1, …) so that a
// shared machine's drift falls on both. Prints requests/s and latency percentiles of every run and
// the medians, and writes bench/results/workers.json.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { forkGraph, type GraphProcess } from '@commerce/testkit/graph-process';
import { createThrowawayDatabase } from '@commerce/testkit/setup';
import { seedBenchCatalog } from './seed-catalog.js';
import { median } from './load.js';

process.env.LOG_LEVEL ??= 'warn';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_WORKERS_ROUNDS ?? 3);
const WORKERS = Number(process.env.BENCH_WORKERS ?? os.availableParallelism());
const STORE = 'bench';
const WARM_UP_SECONDS = 3;

const LISTING = `query Listing { store { products(first: 24, sortKey: CREATED_AT) { edges { cursor node { id title handle priceRange { minVariantPrice { amount currencyCode } } images { url altText } variants(first: 10) { edges { node { id title price { amount currencyCode } inventory { available } } } } } } pageInfo { hasNextPage endCursor } } } }`;
const HEADERS = { 'content-type': 'application/json', 'x-store': STORE };
const BODY = JSON.stringify({ query: LISTING });

interface Run {
  workers: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number };
  /** CPU time of the graph's processes (the primary and every worker) per request. */
  graphCpuMicrosecondsPerRequest: number;
  errors: number;
}

/** The value below which `share` of the sorted values lie. */
function percentile(sorted: number[], share: number): number {
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? 0) * 10) / 10;
}

/** Loads `graph` for BENCH_SECONDS (WARM_UP_SECONDS for a warm-up) and reports the run. */
async function load(graph: GraphProcess, workers: number, warmUp = false): Promise<Run> {
  const probe = (await (await fetch(graph.url, { method: 'POST', headers: HEADERS, body: BODY })).json()) as {
    errors?: unknown[];
  };
  if (probe.errors) throw new Error(JSON.stringify(probe.errors));
  // Every response's latency, for the p95 that autocannon's summary does not report.
  const latencies: number[] = [];
  const cpuBefore = await graph.cpuMicroseconds();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: graph.url,
        method: 'POST',
        headers: HEADERS,
        body: BODY,
        connections: CONNECTIONS,
        duration: warmUp ? WARM_UP_SECONDS : DURATION_SECONDS,
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
  const cpu = (await graph.cpuMicroseconds()) - cpuBefore;
  latencies.sort((a, b) => a - b);
  const run: Run = {
    workers,
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), p99: percentile(latencies, 0.99) },
    graphCpuMicrosecondsPerRequest: Math.round(cpu / Math.max(1, result.requests.total)),
    errors: result.errors + result.non2xx,
  };
  console.log(
    `${warmUp ? '(warm-up) ' : ''}WEB_CONCURRENCY=${workers}: ${run.requestsPerSecond} requests/s · p50 ${run.latencyMs.p50} ms · p95 ${run.latencyMs.p95} ms · p99 ${run.latencyMs.p99} ms · graph CPU ${run.graphCpuMicrosecondsPerRequest} µs per request · ${run.errors} errors`,
  );
  return run;
}

/** The 1-minute load average: how busy the machine was, the graphs apart at the start. */
function load1(): number {
  return Math.round((os.loadavg()[0] ?? 0) * 10) / 10;
}

async function main(): Promise<void> {
  const loadAtStart = load1();
  const db = await createThrowawayDatabase('commerce_bench_workers');
  try {
    console.log(`seeding ${PRODUCTS} products × 3 variants …`);
    await seedBenchCatalog(db.url, STORE, PRODUCTS);
    const counts = [1, WORKERS] as const;
    const graphs = await Promise.all(
      counts.map((workers) =>
        forkGraph(db.url, { STOREFRONT_CACHE_TTL_SECONDS: '0', WEB_CONCURRENCY: String(workers) }),
      ),
    );
    const runs: Run[] = [];
    try {
      // Every worker's code warmed up (each process compiles its own) before anything is measured.
      for (const [index, graph] of graphs.entries()) await load(graph, counts[index] ?? 1, true);
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? [0, 1] : [1, 0];
        for (const index of order) {
          const graph = graphs[index];
          if (graph) runs.push(await load(graph, counts[index] ?? 1));
        }
      }
    } finally {
      await Promise.all(graphs.map((graph) => graph.stop()));
    }
    const summary = counts.map((workers) => {
      const own = runs.filter((run) => run.workers === workers);
      return {
        workers,
        requestsPerSecond: median(own.map((run) => run.requestsPerSecond)),
        p95Ms: median(own.map((run) => run.latencyMs.p95)),
      };
    });
    for (const line of summary)
      console.log(
        `median, WEB_CONCURRENCY=${line.workers}: ${line.requestsPerSecond} requests/s, p95 ${line.p95Ms} ms`,
      );
    const machine = {
      cpus: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      loadAverage: { atStart: loadAtStart, atEnd: load1() },
      node: process.version,
    };
    const directory = fileURLToPath(new URL('./results/', import.meta.url));
    await mkdir(directory, { recursive: true });
    await writeFile(
      path.join(directory, 'workers.json'),
      `${JSON.stringify(
        {
          at: new Date().toISOString(),
          machine,
          products: PRODUCTS,
          connections: CONNECTIONS,
          durationSeconds: DURATION_SECONDS,
          runs,
          summary,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    await db.drop();
  }
}

await main();
