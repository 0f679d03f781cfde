// `pnpm bench`: load through the gateway with autocannon on loopback, against a fresh database
// seeded with a 10,000-product store, with the storefront cache on and off, each scenario after
// one warm-up request per distinct body; each cold read (cache off) is followed by the same load on
// the floor (floor/: a bare gateway over in-memory subgraphs, on one core), whose throughput it is
// compared with; then the listing with query limits, cost and rate limits on and off in turns, to
// compare. Prints requests/s, latency percentiles and SQL statements per request, and writes
// bench/results/latest.json. With --floor (`pnpm bench:floor`) only the cold reads and the floor
// run, written to bench/results/floor.json.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkGraph, type GraphProcess } from '@commerce/testkit/graph-process';
import { createThrowawayDatabase } from '@commerce/testkit/setup';
import { type Answer, answerShapeDifferences } from './floor/answer-shape.js';
import { type FloorProcess, forkFloor } from './floor/fork-floor.js';
import { load, median } from './load.js';
import { postgresCpuSeconds } from './process-cpu.js';
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
// As deployed (the Docker image sets NODE_ENV=production), for the graph and the floor alike: among
// other things, graphql-js then leaves out its development checks (instanceOf's realm check).
process.env.NODE_ENV ??= 'production';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
// The graph runs as `pnpm start` runs it: one worker process per core unless WEB_CONCURRENCY says
// otherwise. The floor stays on one core; the multiple is what the machine gives the graph against it.
process.env.WEB_CONCURRENCY ??= String(os.availableParallelism());
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const FLOOR_ONLY = process.argv.includes('--floor');
const HEADERS = { 'content-type': 'application/json', 'x-store': STORE };

function requestBodies(scenario: Scenario): string[] {
  return scenario.bodies.map((body) => JSON.stringify({ query: body.query, variables: body.variables ?? {} }));
}

async function post(url: string, body: string): Promise<Answer> {
  return (await (await fetch(url, { method: 'POST', headers: HEADERS, body })).json()) as Answer;
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

/** One scenario's load on the real graph; `probe` is its answer to the scenario's first request. */
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
  const startPostgres = postgresCpuSeconds();
  const startLoad = process.cpuUsage();
  const run = await load({
    url: graph.url,
    headers: HEADERS,
    bodies,
    connections: CONNECTIONS,
    seconds: DURATION_SECONDS,
  });
  const cpu = (await graph.cpuMicroseconds()) - startCpu;
  const postgresCpu = (postgresCpuSeconds() - startPostgres) * 1e6;
  const loadUsage = process.cpuUsage(startLoad);
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
    // What else the same requests cost on this machine: PostgreSQL's processes, and this process
    // (the load generator, autocannon).
    postgresCpuMicrosecondsPerRequest: Math.round(postgresCpu / Math.max(1, run.requests)),
    loadGeneratorCpuMicrosecondsPerRequest: Math.round((loadUsage.user + loadUsage.system) / Math.max(1, run.requests)),
    errors: run.errors,
  };
  const { p50, p90, p95, p99 } = run.latencyMs;
  console.log(
    `[${mode}] ${scenario.name}\n  ${result.requestsPerSecond} requests/s · p50 ${p50} ms · p90 ${p90} ms · p95 ${p95} ms · p99 ${p99} ms · SQL statements: ${cold} cold, ${result.sqlStatementsPerRequestUnderLoad} per request under load · graph CPU ${result.graphCpuMicrosecondsPerRequest} µs per request (PostgreSQL ${result.postgresCpuMicrosecondsPerRequest} µs, load generator ${result.loadGeneratorCpuMicrosecondsPerRequest} µs) · ${result.errors} errors`,
  );
  return { result, probe };
}

/**
 * The same load on the floor, after checking that it answers the scenario's first request in the
 * shape the real graph did (`realProbe`): a floor that answered less would flatter the graph.
 */
async function measureFloor(floor: FloorProcess, scenario: Scenario, realProbe: Answer) {
  const bodies = requestBodies(scenario);
  const differences = answerShapeDifferences(realProbe, await post(floor.url, bodies[0] ?? ''));
  if (differences.length) {
    throw new Error(`the floor answers "${scenario.name}" in another shape:\n  ${differences.join('\n  ')}`);
  }
  await warmUp(floor.url, bodies);
  const startCpu = await floor.cpuMicroseconds();
  const run = await load({
    url: floor.url,
    headers: HEADERS,
    bodies,
    connections: CONNECTIONS,
    seconds: DURATION_SECONDS,
  });
  const cpuPerRequest = Math.round(((await floor.cpuMicroseconds()) - startCpu) / Math.max(1, run.requests));
  if (run.errors) throw new Error(`the floor failed ${run.errors} requests of "${scenario.name}"`);
  const { p50, p95, p99 } = run.latencyMs;
  console.log(
    `[floor] ${scenario.name}\n  ${run.requestsPerSecond} requests/s · p50 ${p50} ms · p95 ${p95} ms · p99 ${p99} ms · floor CPU ${cpuPerRequest} µs per request`,
  );
  return { ...run, cpuMicrosecondsPerRequest: cpuPerRequest };
}

type GraphResult = Awaited<ReturnType<typeof measureGraph>>['result'];
type FloorResult = Awaited<ReturnType<typeof measureFloor>>;

/** The throughput the issue of record asks of each cold read: this multiple of its floor's. */
const TARGET_MULTIPLE = 1.5;

/**
 * A cold read against the floor: the real graph's throughput as a multiple of the floor's, and the
 * CPU budget of the target: at TARGET_MULTIPLE × the floor's rate, the machine's cores leave this
 * much CPU per request for the graph, PostgreSQL and the load generator together, all on this machine.
 */
function compareWithFloor(read: string, real: GraphResult, floor: FloorResult) {
  const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 100) / 100 : 0);
  const budget = floor.requestsPerSecond ? (os.cpus().length * 1e6) / (TARGET_MULTIPLE * floor.requestsPerSecond) : 0;
  return {
    read,
    realRequestsPerSecond: real.requestsPerSecond,
    floorRequestsPerSecond: floor.requestsPerSecond,
    multiple: ratio(real.requestsPerSecond, floor.requestsPerSecond),
    realP95Ms: real.latencyMs.p95,
    floorP95Ms: floor.latencyMs.p95,
    realCpuMicrosecondsPerRequest: real.graphCpuMicrosecondsPerRequest,
    floorCpuMicrosecondsPerRequest: floor.cpuMicrosecondsPerRequest,
    cpuMultiple: ratio(real.graphCpuMicrosecondsPerRequest, floor.cpuMicrosecondsPerRequest),
    targetCpuBudgetMicrosecondsPerRequest: Math.round(budget),
    machineCpuMicrosecondsPerRequest:
      real.graphCpuMicrosecondsPerRequest +
      real.postgresCpuMicrosecondsPerRequest +
      real.loadGeneratorCpuMicrosecondsPerRequest,
  };
}

type FloorComparison = ReturnType<typeof compareWithFloor>;

function printFloorTable(rows: FloorComparison[], cpu: number | null): void {
  const table = [
    [
      'read',
      'real req/s (cache off)',
      'floor req/s',
      'multiple (real/floor)',
      'real p95 ms',
      'CPU µs/req real / floor',
    ],
    ...rows.map((row) => [
      row.read,
      String(row.realRequestsPerSecond),
      String(row.floorRequestsPerSecond),
      `${row.multiple.toFixed(2)}×`,
      String(row.realP95Ms),
      `${row.realCpuMicrosecondsPerRequest} / ${row.floorCpuMicrosecondsPerRequest}`,
    ]),
  ];
  const widths = table[0]?.map((_, column) => Math.max(...table.map((line) => line[column]?.length ?? 0))) ?? [];
  console.log(
    `\ncold reads against the floor (a bare gateway over in-memory subgraphs, ${cpu === null ? 'unpinned' : `pinned to core ${cpu}`}):`,
  );
  for (const line of table)
    console.log(`  ${line.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd());
  console.log(
    `\nCPU per request the target (${TARGET_MULTIPLE}× the floor on ${os.cpus().length} cores) leaves for the graph, PostgreSQL and the load generator together, and what they used:`,
  );
  for (const row of rows)
    console.log(
      `  ${row.read}: ${row.targetCpuBudgetMicrosecondsPerRequest} µs allowed, ${row.machineCpuMicrosecondsPerRequest} µs used`,
    );
}

/** The cold reads (storefront cache off), each followed by the floor's run of the same read. */
async function coldReadsAgainstFloor(databaseUrl: string) {
  const graph = await forkGraph(databaseUrl, { STOREFRONT_CACHE_TTL_SECONDS: '0' });
  let floor: FloorProcess | undefined;
  try {
    floor = await forkFloor(PRODUCTS);
    const results: GraphResult[] = [];
    const reads: FloorComparison[] = [];
    for (const scenario of SCENARIOS) {
      const real = await measureGraph(graph, 'storefront cache off', scenario);
      results.push(real.result);
      reads.push(compareWithFloor(scenario.read, real.result, await measureFloor(floor, scenario, real.probe)));
    }
    printFloorTable(reads, floor.cpu);
    return { results, floor: { pinnedToCpu: floor.cpu, reads } };
  } finally {
    await Promise.all([graph.stop(), floor?.stop()]);
  }
}

const LIMITS_ROUNDS = Number(process.env.BENCH_LIMITS_ROUNDS ?? 3);

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
        const { result } = await measureGraph(
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
    const results: GraphResult[] = [];
    if (!FLOOR_ONLY) {
      // Cost and rate limits are on as deployed (forkGraph's buckets are roomy: nothing is refused,
      // everything is computed and taken).
      const graph = await forkGraph(db.url, { STOREFRONT_CACHE_TTL_SECONDS: '60' });
      try {
        for (const scenario of SCENARIOS) {
          results.push((await measureGraph(graph, 'storefront cache on', scenario)).result);
        }
      } finally {
        await graph.stop();
      }
    }
    const cold = await coldReadsAgainstFloor(db.url);
    results.push(...cold.results);
    const limitsCost = FLOOR_ONLY ? undefined : [await compareLimits(db.url, 60), await compareLimits(db.url, 0)];
    const file = FLOOR_ONLY ? 'floor.json' : 'latest.json';
    const machine = {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    };
    const directory = fileURLToPath(new URL('./results/', import.meta.url));
    await mkdir(directory, { recursive: true });
    await writeFile(
      path.join(directory, file),
      `${JSON.stringify(
        {
          at: new Date().toISOString(),
          machine,
          products: PRODUCTS,
          connections: CONNECTIONS,
          durationSeconds: DURATION_SECONDS,
          graphWorkers: Number(process.env.WEB_CONCURRENCY),
          results,
          floor: cold.floor,
          limitsCost,
        },
        null,
        2,
      )}\n`,
    );
    console.log(
      `\nmachine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}; ${PRODUCTS} products; the graph in ${process.env.WEB_CONCURRENCY} worker process(es); ${CONNECTIONS} connections, ${DURATION_SECONDS} s each; written to bench/results/${file}`,
    );
  } finally {
    await db.drop();
  }
}

await main();
