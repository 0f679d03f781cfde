// `pnpm bench`: load through the gateway with autocannon on loopback, against a fresh database
// seeded with a 10,000-product store, with the storefront cache on and off, each scenario after
// one warm-up request per distinct body; then the listing with query limits, cost and rate limits
// on and off in turns, to compare. Prints requests/s, latency percentiles and SQL statements per
// request, and writes bench/results/latest.json.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkGraph, type GraphProcess } from '@commerce/testkit/graph-process';
import { createThrowawayDatabase } from '@commerce/testkit/setup';
import { load } from './load.js';
import { seedBenchCatalog } from './seed-catalog.js';
import {
  BENCH_PRODUCTS as PRODUCTS,
  BENCH_STORE as STORE,
  LISTING_SCENARIO,
  SCENARIOS,
  type Scenario,
} from './storefront-reads.js';

// A line per request would be written by the graph processes for every request of the load (and
// read by this process): the figures are of the graph, so its request lines are off unless asked for.
process.env.LOG_LEVEL ??= 'warn';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const HEADERS = { 'content-type': 'application/json', 'x-store': STORE };

function requestBodies(scenario: Scenario): string[] {
  return scenario.bodies.map((body) => JSON.stringify({ query: body.query, variables: body.variables ?? {} }));
}

async function post(url: string, body: string): Promise<{ errors?: unknown[] }> {
  return (await (await fetch(url, { method: 'POST', headers: HEADERS, body })).json()) as { errors?: unknown[] };
}

/**
 * Every distinct request once before measuring, four at a time: with the cache on the run then
 * measures a storefront in steady state (what a miss costs is the cache-off run's figures).
 */
async function warmUp(url: string, bodies: string[]): Promise<void> {
  for (let i = 0; i < bodies.length; i += 4) {
    await Promise.all(bodies.slice(i, i + 4).map((body) => post(url, body)));
  }
}

/** One scenario's load on the graph. */
async function measureGraph(graph: GraphProcess, mode: string, scenario: Scenario) {
  const bodies = requestBodies(scenario);
  // One checked request first: it must answer without errors; its statements are those of a cold request.
  const before = await graph.statements();
  const probe = await post(graph.url, bodies[0] ?? '');
  if (probe.errors) throw new Error(`${scenario.name}: ${JSON.stringify(probe.errors)}`);
  const cold = (await graph.statements()) - before;
  await warmUp(graph.url, bodies);

  const startCount = await graph.statements();
  const startCpu = await graph.cpuMicroseconds();
  const run = await load({
    url: graph.url,
    headers: HEADERS,
    bodies,
    connections: CONNECTIONS,
    seconds: DURATION_SECONDS,
  });
  const cpu = (await graph.cpuMicroseconds()) - startCpu;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const underLoad = ((await graph.statements()) - startCount) / Math.max(1, run.requests);
  const result = {
    mode,
    scenario: scenario.name,
    requestsPerSecond: run.requestsPerSecond,
    latencyMs: run.latencyMs,
    sqlStatementsColdRequest: cold,
    sqlStatementsPerRequestUnderLoad: Math.round(underLoad * 100) / 100,
    // The graph process's CPU per request: steadier than throughput on a machine others share.
    graphCpuMicrosecondsPerRequest: Math.round(cpu / Math.max(1, run.requests)),
    errors: run.errors,
  };
  const { p50, p90, p95, p99 } = run.latencyMs;
  console.log(
    `[${mode}] ${scenario.name}\n  ${result.requestsPerSecond} requests/s · p50 ${p50} ms · p90 ${p90} ms · p95 ${p95} ms · p99 ${p99} ms · SQL statements: ${cold} cold, ${result.sqlStatementsPerRequestUnderLoad} per request under load · graph CPU ${result.graphCpuMicrosecondsPerRequest} µs per request · ${result.errors} errors`,
  );
  return result;
}

const LIMITS_ROUNDS = Number(process.env.BENCH_LIMITS_ROUNDS ?? 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/**
 * What query limits, cost and rate limits take from the listing: two graph processes, all on and
 * all off (GRAPHQL_QUERY_LIMITS, GRAPHQL_COST_LIMITS), measured in turns (on, off, off, on, …) so that a busy machine's drift
 * falls on both; the medians are compared.
 */
async function compareLimits(databaseUrl: string, cacheSeconds: number) {
  const cache = cacheSeconds > 0 ? 'on' : 'off';
  const graphs = {
    on: await forkGraph(databaseUrl, {
      STOREFRONT_CACHE_TTL_SECONDS: String(cacheSeconds),
      GRAPHQL_QUERY_LIMITS: 'on',
      GRAPHQL_COST_LIMITS: 'on',
    }),
    off: await forkGraph(databaseUrl, {
      STOREFRONT_CACHE_TTL_SECONDS: String(cacheSeconds),
      GRAPHQL_QUERY_LIMITS: 'off',
      GRAPHQL_COST_LIMITS: 'off',
    }),
  };
  const rates: Record<'on' | 'off', number[]> = { on: [], off: [] };
  const cpu: Record<'on' | 'off', number[]> = { on: [], off: [] };
  try {
    for (let round = 0; round < LIMITS_ROUNDS; round++) {
      for (const limits of round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        const result = await measureGraph(
          graphs[limits],
          `storefront cache ${cache}, query limits, cost and rate limits ${limits}`,
          LISTING_SCENARIO,
        );
        rates[limits].push(result.requestsPerSecond);
        cpu[limits].push(result.graphCpuMicrosecondsPerRequest);
      }
    }
  } finally {
    await Promise.all([graphs.on.stop(), graphs.off.stop()]);
  }
  const withLimits = median(rates.on);
  const without = median(rates.off);
  const differencePercent = without ? Math.round(((without - withLimits) / without) * 1000) / 10 : 0;
  const cpuWith = median(cpu.on);
  const cpuWithout = median(cpu.off);
  const cpuPercent = cpuWithout ? Math.round(((cpuWith - cpuWithout) / cpuWithout) * 1000) / 10 : 0;
  console.log(
    `listing, cache ${cache}: median ${withLimits} requests/s with query limits, cost and rate limits, ${without} without (${differencePercent} % less with them; runs ${rates.on.join(', ')} / ${rates.off.join(', ')}); ` +
      `graph CPU per request ${cpuWith} µs with, ${cpuWithout} µs without (${cpuPercent} % more)`,
  );
  return {
    cache,
    requestsPerSecond: { withLimits, without, runsWith: rates.on, runsWithout: rates.off },
    differencePercent,
    graphCpuMicrosecondsPerRequest: {
      withLimits: cpuWith,
      without: cpuWithout,
      runsWith: cpu.on,
      runsWithout: cpu.off,
    },
    cpuDifferencePercent: cpuPercent,
  };
}

async function main(): Promise<void> {
  const db = await createThrowawayDatabase('commerce_bench');
  try {
    console.log(`seeding ${PRODUCTS} products × 3 variants …`);
    await seedBenchCatalog(db.url, STORE, PRODUCTS);
    const results = [];
    // Cost and rate limits are on as deployed (forkGraph's buckets are roomy: nothing is refused,
    // everything is computed and taken).
    for (const [mode, cacheSeconds] of [
      ['storefront cache on', 60],
      ['storefront cache off', 0],
    ] as const) {
      const graph = await forkGraph(db.url, { STOREFRONT_CACHE_TTL_SECONDS: String(cacheSeconds) });
      try {
        for (const scenario of SCENARIOS) results.push(await measureGraph(graph, mode, scenario));
      } finally {
        await graph.stop();
      }
    }
    const limitsCost = [await compareLimits(db.url, 60), await compareLimits(db.url, 0)];
    const machine = {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    };
    const directory = fileURLToPath(new URL('./results/', import.meta.url));
    await mkdir(directory, { recursive: true });
    await writeFile(
      path.join(directory, 'latest.json'),
      `${JSON.stringify(
        {
          at: new Date().toISOString(),
          machine,
          products: PRODUCTS,
          connections: CONNECTIONS,
          durationSeconds: DURATION_SECONDS,
          results,
          limitsCost,
        },
        null,
        2,
      )}\n`,
    );
    console.log(
      `\nmachine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}; ${PRODUCTS} products; ${CONNECTIONS} connections, ${DURATION_SECONDS} s each; written to bench/results/latest.json`,
    );
  } finally {
    await db.drop();
  }
}

await main();
