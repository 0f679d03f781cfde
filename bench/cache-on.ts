// `pnpm bench:cache-on`: the storefront listing with the storefront cache on, as `pnpm start` serves
// it by default, from this checkout and, with BENCH_AGAINST, from another checkout of the project
// (an earlier commit, say: `git worktree add ../before <commit> && (cd ../before && pnpm install)`),
// loaded in turns (this, other, this, other, …) so that a shared machine's drift falls on both.
// Each checkout migrates and seeds a database of its own with its own code, then `pnpm start` serves
// it; the load is the same. Prints requests/s, latency and the CPU per request of the graph's
// processes and of the load generator, and writes bench/results/cache-on.json.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@commerce/testkit';
import { ROOMY_RATE_LIMIT_SETTINGS } from '@commerce/testkit/graph-process';
import { createEmptyThrowawayDatabase } from '@commerce/testkit/setup';
import { load, median } from './load.js';
import { processTreeCpuSeconds } from './process-cpu.js';
import { BENCH_STORE, LISTING } from './storefront-reads.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** As the issue that set the cache-on target measured it: 1,000 products. */
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 1_000);
const WARM_UP_SECONDS = 3;
const HEADERS = { 'content-type': 'application/json', 'x-store': BENCH_STORE };
const BODY = JSON.stringify({ query: LISTING });
const THIS_CHECKOUT = fileURLToPath(new URL('../', import.meta.url));

interface Checkout {
  name: string;
  directory: string;
  database?: { url: string; drop(): Promise<void> };
}

interface Run {
  checkout: string;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number };
  graphCpuMicrosecondsPerRequest: number;
  loadGeneratorCpuMicrosecondsPerRequest: number;
  errors: number;
}

/** Migrates and seeds a fresh database with the checkout's own code (its schema may be older). */
async function prepare(checkout: Checkout): Promise<void> {
  if (!existsSync(path.join(checkout.directory, 'bench/seed-catalog.ts')))
    throw new Error(
      `${checkout.directory} has no bench/seed-catalog.ts: BENCH_AGAINST must be a checkout of this project`,
    );
  checkout.database = await createEmptyThrowawayDatabase(`commerce_bench_cache_${checkout.name}`);
  const env = { ...process.env, DATABASE_URL: checkout.database.url };
  execFileSync('pnpm', ['db:migrate'], { cwd: checkout.directory, env, stdio: 'ignore' });
  const seed = `const { seedBenchCatalog } = await import('./bench/seed-catalog.ts'); await seedBenchCatalog(process.env.DATABASE_URL, '${BENCH_STORE}', ${PRODUCTS});`;
  execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', seed], {
    cwd: checkout.directory,
    env,
    stdio: 'inherit',
  });
}

/** `pnpm start` of the checkout over its database; resolves once it answers the listing. */
async function start(checkout: Checkout, port: number): Promise<ChildProcess> {
  const child = spawn('pnpm', ['start'], {
    cwd: checkout.directory,
    detached: true,
    stdio: 'ignore',
    env: {
      ...process.env,
      ...ROOMY_RATE_LIMIT_SETTINGS,
      DATABASE_URL: checkout.database?.url,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    },
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  for (let attempt = 0; attempt < 240; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const answered = await fetch(url, { method: 'POST', headers: HEADERS, body: BODY }).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) return child;
  }
  stop(child);
  throw new Error(`pnpm start in ${checkout.directory} did not answer within 2 minutes`);
}

function stop(child: ChildProcess): void {
  try {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}

async function measure(checkout: Checkout): Promise<Run> {
  const port = await freePort();
  const child = await start(checkout, port);
  try {
    const options = {
      url: `http://127.0.0.1:${port}/graphql`,
      headers: HEADERS,
      bodies: [BODY],
      connections: CONNECTIONS,
    };
    await load({ ...options, seconds: WARM_UP_SECONDS });
    const graphBefore = processTreeCpuSeconds(child.pid ?? 0);
    const ownBefore = process.cpuUsage();
    const result = await load({ ...options, seconds: SECONDS });
    const own = process.cpuUsage(ownBefore);
    const requests = Math.max(1, result.requests);
    return {
      checkout: checkout.name,
      requestsPerSecond: result.requestsPerSecond,
      latencyMs: { p50: result.latencyMs.p50, p95: result.latencyMs.p95, p99: result.latencyMs.p99 },
      graphCpuMicrosecondsPerRequest: Math.round(
        ((processTreeCpuSeconds(child.pid ?? 0) - graphBefore) * 1e6) / requests,
      ),
      loadGeneratorCpuMicrosecondsPerRequest: Math.round((own.user + own.system) / requests),
      errors: result.errors,
    };
  } finally {
    stop(child);
    // The port and the database's connections are free again before the next run.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
}

async function main(): Promise<void> {
  const checkouts: Checkout[] = [{ name: 'this', directory: THIS_CHECKOUT }];
  const against = process.env.BENCH_AGAINST;
  if (against) checkouts.push({ name: 'other', directory: path.resolve(against) });
  try {
    for (const checkout of checkouts) await prepare(checkout);
    const runs: Run[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const checkout of checkouts) {
        const run = await measure(checkout);
        runs.push(run);
        console.log(
          `${run.checkout}: ${run.requestsPerSecond} requests/s · p50 ${run.latencyMs.p50} ms · p95 ${run.latencyMs.p95} ms · p99 ${run.latencyMs.p99} ms · graph CPU ${run.graphCpuMicrosecondsPerRequest} µs per request · load generator ${run.loadGeneratorCpuMicrosecondsPerRequest} µs · ${run.errors} errors`,
        );
      }
    }
    const medianOf = (name: string) =>
      median(runs.filter((run) => run.checkout === name).map((run) => run.requestsPerSecond));
    const medians = { this: medianOf('this'), ...(against && { other: medianOf('other') }) };
    if (medians.other)
      console.log(
        `median requests/s: this ${medians.this}, other ${medians.other}: ${(medians.this / medians.other).toFixed(2)}×`,
      );
    const directory = fileURLToPath(new URL('./results/', import.meta.url));
    await mkdir(directory, { recursive: true });
    const machine = {
      cpus: os.availableParallelism(),
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
    };
    // The checkouts by commit, not by where they are on this machine.
    const commitOf = (directory: string) =>
      execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: directory, encoding: 'utf8' }).trim();
    const commits = Object.fromEntries(checkouts.map((checkout) => [checkout.name, commitOf(checkout.directory)]));
    const report = {
      at: new Date().toISOString(),
      machine,
      products: PRODUCTS,
      connections: CONNECTIONS,
      seconds: SECONDS,
      commits,
      runs,
      medians,
    };
    await writeFile(path.join(directory, 'cache-on.json'), `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    for (const checkout of checkouts) await checkout.database?.drop();
  }
}

await main();
