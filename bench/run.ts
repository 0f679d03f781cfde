// `pnpm bench`: load through the gateway with autocannon on loopback, against a fresh database
// seeded with the demo store. Prints requests/s, latency percentiles and SQL statements per
// request, and writes bench/results/latest.json.
import { fork } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createDatabase, createPrisma, dropDatabase, migrate, startEmbeddedPostgres } from '@commerce/database';
import { DEMO, seedDemo } from '../prisma/seed.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);

interface Scenario {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'storefront listing (24 products with variants, prices, images, inventory)',
    query: `query Listing { store { products(first: 24, sortKey: CREATED_AT) { edges { cursor node { id title handle priceRange { minVariantPrice { amount currencyCode } } images { url altText } variants(first: 10) { edges { node { id title price { amount currencyCode } inventory { available } } } } } } pageInfo { hasNextPage endCursor } } } }`,
  },
  {
    name: 'product by handle',
    query: `query Product($handle: String!) { store { product(handle: $handle) { id title description options { name values } images { url } variants(first: 10) { edges { node { id sku price { amount } compareAtPrice { amount } inventory { available } } } } } } }`,
    variables: { handle: 'classic-shirt-1' },
  },
];

async function database(): Promise<{ url: string; cleanup(): Promise<void> }> {
  const name = `commerce_bench_${Date.now().toString(36)}`;
  let server = process.env.DATABASE_URL;
  let stopEmbedded = async () => undefined as unknown;
  let tempDir: string | null = null;
  if (!server) {
    tempDir = await mkdtemp(path.join(os.tmpdir(), 'commerce-bench-pg-'));
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(tempDir, 'data') });
    server = embedded.url;
    stopEmbedded = embedded.stop;
  }
  await createDatabase(server, name);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const serverUrl = server;
  return {
    url: url.toString(),
    async cleanup() {
      await dropDatabase(serverUrl, name);
      await stopEmbedded();
      if (tempDir) await rm(tempDir, { recursive: true, force: true });
    },
  };
}

async function statements(statsUrl: string): Promise<number> {
  const response = await fetch(statsUrl);
  return ((await response.json()) as { statements: number }).statements;
}

async function main(): Promise<void> {
  const db = await database();
  const graphProcess = fork(fileURLToPath(new URL('./server.ts', import.meta.url)), [], {
    env: { ...process.env, DATABASE_URL: db.url },
    execArgv: ['--import', 'tsx'],
  });
  try {
    await migrate(db.url);
    const owner = createPrisma({ connectionString: db.url, poolSize: 2 });
    await seedDemo(owner);
    await owner.$disconnect();
    const { url, statsUrl } = await new Promise<{ url: string; statsUrl: string }>((resolve, reject) => {
      graphProcess.once('message', (message) => resolve(message as { url: string; statsUrl: string }));
      graphProcess.once('exit', (code) => reject(new Error(`the graph process exited with ${code}`)));
    });

    const results = [];
    for (const scenario of SCENARIOS) {
      const body = JSON.stringify({ query: scenario.query, variables: scenario.variables ?? {} });
      const headers = { 'content-type': 'application/json', 'x-store': DEMO.storeSlug };
      // One checked request first: the scenario must answer without errors, and its statements are counted alone.
      const before = await statements(statsUrl);
      const probe = (await (await fetch(url, { method: 'POST', headers, body })).json()) as { errors?: unknown[] };
      if (probe.errors) throw new Error(`${scenario.name}: ${JSON.stringify(probe.errors)}`);
      const perRequest = (await statements(statsUrl)) - before;

      const run = await autocannon({ url, method: 'POST', headers, body, connections: CONNECTIONS, duration: DURATION_SECONDS });
      const result = {
        scenario: scenario.name,
        requestsPerSecond: Math.round(run.requests.average),
        // autocannon reports p90 and p97.5 rather than p95; p95 lies between them.
        latencyMs: { p50: run.latency.p50, p90: run.latency.p90, p97_5: run.latency.p97_5, p99: run.latency.p99 },
        sqlStatementsPerRequest: perRequest,
        errors: run.errors + run.non2xx,
      };
      results.push(result);
      console.log(
        `${scenario.name}\n  ${result.requestsPerSecond} requests/s · p50 ${run.latency.p50} ms · p90 ${run.latency.p90} ms · p97.5 ${run.latency.p97_5} ms · p99 ${run.latency.p99} ms · ${perRequest} SQL statements/request · ${result.errors} errors`,
      );
    }
    const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
    const directory = fileURLToPath(new URL('./results/', import.meta.url));
    await mkdir(directory, { recursive: true });
    await writeFile(path.join(directory, 'latest.json'), JSON.stringify({ at: new Date().toISOString(), machine, connections: CONNECTIONS, durationSeconds: DURATION_SECONDS, results }, null, 2) + '\n');
    console.log(`\nmachine: ${machine.cpus} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, Node ${machine.node}; ${CONNECTIONS} connections, ${DURATION_SECONDS} s each; written to bench/results/latest.json`);
  } finally {
    graphProcess.kill('SIGTERM');
    await db.cleanup();
  }
}

await main();
