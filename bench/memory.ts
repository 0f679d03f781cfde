// `pnpm bench:memory`: what the gateway and the five subgraphs hold when run apart, as
// docker-compose.yml and deploy/kubernetes run them: resident memory of each process (with the
// processes it started) 10 s after the last of them serves, then after a cold storefront listing load (cache off), over a
// fresh database seeded as `pnpm bench` seeds it. Two totals: the sum of the processes' resident
// sets, which counts the pages they share (node's binary, the C libraries) once per process, and
// what they hold together: each one's private pages plus the shared ones once, which is what the
// machine gives them (and what one container per process is charged). Writes
// bench/results/memory.json.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { spawnSync } from 'node:child_process';
import {
  COMPILED_PROCESS_EXEC_ARGV,
  freePort,
  PROCESS_EXEC_ARGV,
  startServiceProcess,
  type ServiceProcess,
} from '@commerce/testkit';
import { ROOMY_RATE_LIMIT_SETTINGS } from '@commerce/testkit/graph-process';
import { createThrowawayDatabase } from '@commerce/testkit/setup';
import { descendantPids, processTreeCpuSeconds } from './process-cpu.js';
import { seedBenchCatalog } from './seed-catalog.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PRODUCTS = Number(process.env.BENCH_PRODUCTS ?? 1_000);
const STORE = 'bench';
/**
 * How long the six wait, once the last of them serves, before their idle pages are read: each makes
 * its two start-up collections within about 7 s of serving (collectStartupGarbage).
 */
const SETTLE_MS = 10_000;
/** The V8 options the image's NODE_OPTIONS sets (Dockerfile): a young generation of 2 × 4 MB. */
const IMAGE_NODE_OPTIONS = ['--max-semi-space-size=4'];
/**
 * The environment the image sets besides (Dockerfile): glibc's malloc with at most two arenas, and
 * the old generation grown by at most 75 % past what a full collection kept.
 */
const IMAGE_ENVIRONMENT = { MALLOC_ARENA_MAX: '2', NODE_HEAP_GROWING_PERCENT: '75' };

const LISTING = `query Listing { store { products(first: 24, sortKey: CREATED_AT) { edges { cursor node { id title handle priceRange { minVariantPrice { amount currencyCode } } images { url altText } variants(first: 10) { edges { node { id title price { amount currencyCode } inventory { available } } } } } } pageInfo { hasNextPage endCursor } } } }`;

const SUBGRAPHS = ['store', 'catalog', 'customer', 'order', 'analytics'] as const;

interface Service {
  name: string;
  process: ServiceProcess;
}

/** Pages of a process and of every process it started, in kB: resident, private, and shared with another process. */
interface Pages {
  resident: number;
  private: number;
  shared: number;
}

async function pagesOf(pid: number): Promise<Pages> {
  const pages: Pages = { resident: 0, private: 0, shared: 0 };
  for (const one of [pid, ...descendantPids(pid)]) {
    const rollup = await readFile(`/proc/${one}/smaps_rollup`, 'utf8').catch(() => '');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0);
    pages.resident += field('Rss');
    pages.private += field('Private_Clean') + field('Private_Dirty');
    pages.shared += field('Shared_Clean') + field('Shared_Dirty');
  }
  return pages;
}

/** CPU time (user and system) the services have used so far, in milliseconds. */
function cpuMilliseconds(services: Service[]): number {
  return services.reduce((sum, service) => sum + processTreeCpuSeconds(service.process.pid) * 1000, 0);
}

const megabytes = (kilobytes: number) => Math.round(kilobytes / 1024);

async function measure(services: Service[], label: string): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  let privatePages = 0;
  let largestShared = 0;
  for (const service of services) {
    const pages = await pagesOf(service.process.pid);
    figures[service.name] = megabytes(pages.resident);
    privatePages += pages.private;
    largestShared = Math.max(largestShared, pages.shared);
  }
  const total = Object.values(figures).reduce((sum, value) => sum + value, 0);
  // The processes share node's binary and the C libraries: the largest shared set stands for them once.
  const together = megabytes(privatePages + largestShared);
  console.log(
    `${label}: ${total} MB resident in all, ${together} MB together · ${services.map((service) => `${service.name} ${figures[service.name]}`).join(' · ')}`,
  );
  return { ...figures, total, together };
}

/** How a deployment may start the six processes: from the sources with tsx, or compiled. */
interface Variant {
  name: string;
  entry(directory: string): string;
  execArgv: readonly string[];
  /** Environment variables besides the services' settings. */
  env?: Record<string, string>;
}

const VARIANTS: Variant[] = [
  { name: 'sources with tsx', entry: (directory) => `${directory}/src/index.ts`, execArgv: PROCESS_EXEC_ARGV },
  {
    name: 'compiled (pnpm build)',
    entry: (directory) => `${directory}/dist/index.js`,
    execArgv: COMPILED_PROCESS_EXEC_ARGV,
  },
  {
    name: 'compiled, as the image runs it',
    entry: (directory) => `${directory}/dist/index.js`,
    execArgv: [...IMAGE_NODE_OPTIONS, ...COMPILED_PROCESS_EXEC_ARGV],
    env: IMAGE_ENVIRONMENT,
  },
];

interface Figures {
  variant: string;
  idle: Record<string, number>;
  afterListingLoad: Record<string, number>;
  requestsPerSecond: number;
  cpuMillisecondsPerRequest: number;
}

async function measureVariant(variant: Variant, databaseUrl: string): Promise<Figures> {
  const services: Service[] = [];
  try {
    const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
    const env = {
      DATABASE_URL: databaseUrl,
      AUTH_SIGNING_KEY: JSON.stringify({ ...jwk, kid: randomUUID() }),
      LOG_LEVEL: 'warn',
      REDIS_URL: '',
      ...variant.env,
    };
    const ports = await Promise.all(SUBGRAPHS.map(() => freePort()));
    const subgraphs = await Promise.all(
      SUBGRAPHS.map((name, index) =>
        startServiceProcess(variant.entry(`subgraphs/${name}`), ports[index] ?? 0, env, variant.execArgv),
      ),
    );
    for (const [index, name] of SUBGRAPHS.entries()) {
      const process = subgraphs[index];
      if (process) services.push({ name, process });
    }
    const gateway = await startServiceProcess(
      variant.entry('gateway'),
      await freePort(),
      {
        ...env,
        ...ROOMY_RATE_LIMIT_SETTINGS,
        STOREFRONT_CACHE_TTL_SECONDS: '0',
        ...Object.fromEntries(
          SUBGRAPHS.map((name, index) => [`${name.toUpperCase()}_SUBGRAPH_URL`, subgraphs[index]?.url ?? '']),
        ),
      },
      variant.execArgv,
    );
    services.unshift({ name: 'gateway', process: gateway });

    console.log(`— ${variant.name}`);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const idle = await measure(services, 'idle');
    const headers = { 'content-type': 'application/json', 'x-store': STORE };
    const body = JSON.stringify({ query: LISTING });
    const probe = (await (await fetch(gateway.url, { method: 'POST', headers, body })).json()) as { errors?: unknown };
    if (probe.errors) throw new Error(JSON.stringify(probe.errors));
    const cpuBefore = cpuMilliseconds(services);
    const result = await autocannon({
      url: gateway.url,
      method: 'POST',
      headers,
      body,
      connections: CONNECTIONS,
      duration: DURATION_SECONDS,
    });
    const errors = result.errors + result.non2xx;
    if (errors > 0) throw new Error(`${errors} listing requests failed`);
    const cpuPerRequest = (cpuMilliseconds(services) - cpuBefore) / Math.max(1, result.requests.total);
    console.log(
      `listing load: ${Math.round(result.requests.average)} requests/s, ${cpuPerRequest.toFixed(1)} ms of CPU per request`,
    );
    const afterListingLoad = await measure(services, 'after the listing load');
    return {
      variant: variant.name,
      idle,
      afterListingLoad,
      requestsPerSecond: Math.round(result.requests.average),
      cpuMillisecondsPerRequest: Math.round(cpuPerRequest * 10) / 10,
    };
  } finally {
    await Promise.all(services.map((service) => service.process.stop()));
  }
}

async function main(): Promise<void> {
  const built = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('pnpm build failed');
  const db = await createThrowawayDatabase('commerce_bench_memory');
  try {
    console.log(`seeding ${PRODUCTS} products × 3 variants …`);
    await seedBenchCatalog(db.url, STORE, PRODUCTS);
    const figures: Figures[] = [];
    for (const variant of VARIANTS) figures.push(await measureVariant(variant, db.url));
    const directory = fileURLToPath(new URL('./results/', import.meta.url));
    await mkdir(directory, { recursive: true });
    await writeFile(
      path.join(directory, 'memory.json'),
      `${JSON.stringify(
        {
          at: new Date().toISOString(),
          machine: {
            cpus: os.availableParallelism(),
            cpuModel: os.cpus()[0]?.model ?? 'unknown',
            node: process.version,
          },
          products: PRODUCTS,
          connections: CONNECTIONS,
          durationSeconds: DURATION_SECONDS,
          imageNodeOptions: IMAGE_NODE_OPTIONS,
          imageEnvironment: IMAGE_ENVIRONMENT,
          figures,
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
