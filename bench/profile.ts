// `pnpm bench:profile`: where the CPU of a cold storefront read goes. For each read (listing,
// product by handle, search) a graph process of its own runs with the storefront cache off; after
// a warm-up, V8's sampling profiler runs in it (the inspector's, started and stopped through the
// process's stats server) while autocannon loads it, so that start-up is left out; its profile is
// summed up by self time: the top functions, and the share of each package (a node_modules
// package, Node's internals, garbage collection, or the project's own code). Profiles are written
// to bench/results/profiles/ (open them in Chrome DevTools or speedscope for flame graphs) and the
// summary to bench/results/profile.json.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkGraph } from '@commerce/testkit/graph-process';
import { createThrowawayDatabase } from '@commerce/testkit/setup';
import { load } from './load.js';
import { seedBenchCatalog } from './seed-catalog.js';
import { BENCH_PRODUCTS, BENCH_STORE, SCENARIOS, type Scenario } from './storefront-reads.js';

process.env.LOG_LEVEL ??= 'warn';
// As deployed (the Docker image sets NODE_ENV=production), for the graph and the floor alike: among
// other things, graphql-js then leaves out its development checks (instanceOf's realm check).
process.env.NODE_ENV ??= 'production';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const TOP = Number(process.env.PROFILE_TOP ?? 25);
/** PROFILE=off: the same runs without the profiler, for CPU per request alone (comparing two trees). */
const PROFILING = process.env.PROFILE !== 'off';
/** Other graph settings for the profiled process, e.g. PROFILE_ENV='{"WEB_CONCURRENCY":"1"}'. */
const EXTRA_ENV = JSON.parse(process.env.PROFILE_ENV ?? '{}') as Record<string, string>;

/** The benchmark's cold reads, by the short names PROFILE_READS takes. */
const READS = Object.fromEntries(
  SCENARIOS.map((scenario) => [scenario.read.split(' ')[0] ?? scenario.read, scenario]),
) as Record<string, Scenario>;

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame comes from: a node_modules package, Node itself, V8's bookkeeping, or the project. */
function origin(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (functionName === '(garbage collector)') return '(garbage collection)';
  if (functionName === '(program)' || functionName === '(idle)') return functionName;
  if (!url) return '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? url);
  }
  const root = fileURLToPath(new URL('..', import.meta.url));
  const file = url.startsWith('file://') ? fileURLToPath(url) : url;
  const relative = path.relative(root, file).split(path.sep);
  return relative[0] === 'packages' || relative[0] === 'subgraphs'
    ? `${relative[0]}/${relative[1]}`
    : (relative[0] ?? file);
}

/** The profiler's own stop (the inspector call that serialises the profile), left out of the summary. */
function profilerFrames(profile: CpuProfile): Set<number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const own = new Set<number>();
  const mark = (node: ProfileNode | undefined) => {
    if (!node || own.has(node.id)) return;
    own.add(node.id);
    for (const child of node.children ?? []) mark(byId.get(child));
  };
  for (const node of profile.nodes)
    if (node.callFrame.url === 'node:inspector' && node.callFrame.functionName === 'post') mark(node);
  return own;
}

function summarize(profile: CpuProfile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const ignored = profilerFrames(profile);
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    if (ignored.has(id)) return;
    selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  let busy = 0;
  const functions = new Map<string, number>();
  const origins = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    const frame = byId.get(id)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    busy += micros;
    const where = origin(frame);
    const name = `${frame.functionName || '(anonymous)'} ${where}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + micros);
    origins.set(where, (origins.get(where) ?? 0) + micros);
  }
  const share = (entries: Map<string, number>, limit: number) =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, micros]) => ({ name, percent: Math.round((micros / busy) * 1000) / 10 }));
  return { busyMs: Math.round(busy / 1000), origins: share(origins, 20), functions: share(functions, TOP) };
}

async function profileRead(databaseUrl: string, name: string, directory: string) {
  const read = READS[name]!;
  const graph = await forkGraph(databaseUrl, { STOREFRONT_CACHE_TTL_SECONDS: '0', ...EXTRA_ENV });
  const headers = { 'content-type': 'application/json', 'x-store': BENCH_STORE };
  const bodies = read.bodies.map((body) => JSON.stringify({ query: body.query, variables: body.variables ?? {} }));
  let requests = 0;
  let cpu = 0;
  let profile: CpuProfile | undefined;
  try {
    for (const body of bodies.slice(0, 64))
      await fetch(graph.url, { method: 'POST', headers, body }).then((r) => r.text());
    // The profiler starts after the warm-up: the profile holds the requests, not the start-up.
    if (PROFILING) await graph.startProfile();
    const startCpu = await graph.cpuMicroseconds();
    const run = await load({ url: graph.url, headers, bodies, connections: CONNECTIONS, seconds: SECONDS });
    requests = run.requests;
    cpu = (await graph.cpuMicroseconds()) - startCpu;
    if (PROFILING) profile = (await graph.stopProfile()) as CpuProfile;
  } finally {
    await graph.stop();
  }
  const cpuMicrosecondsPerRequest = Math.round(cpu / Math.max(1, requests));
  if (!profile) return { read: name, requests, cpuMicrosecondsPerRequest };
  await writeFile(path.join(directory, `${name}.cpuprofile`), JSON.stringify(profile));
  return { read: name, requests, cpuMicrosecondsPerRequest, ...summarize(profile) };
}

async function main(): Promise<void> {
  const results = fileURLToPath(new URL('./results/', import.meta.url));
  const directory = path.join(results, 'profiles');
  await rm(directory, { recursive: true, force: true });
  await mkdir(directory, { recursive: true });
  const db = await createThrowawayDatabase('commerce_profile');
  try {
    console.log(`seeding ${BENCH_PRODUCTS} products × 3 variants …`);
    await seedBenchCatalog(db.url, BENCH_STORE, BENCH_PRODUCTS);
    const summaries = [];
    for (const name of (process.env.PROFILE_READS ?? 'listing,product,search').split(',')) {
      const summary = await profileRead(db.url, name, directory);
      summaries.push(summary);
      console.log(
        `\n${name}: ${summary.requests} requests, graph CPU ${summary.cpuMicrosecondsPerRequest} µs per request`,
      );
      if (!('origins' in summary)) continue;
      console.log('  by origin (self time):');
      for (const entry of summary.origins) console.log(`    ${String(entry.percent).padStart(5)} %  ${entry.name}`);
      console.log(`  top ${TOP} functions (self time):`);
      for (const entry of summary.functions) console.log(`    ${String(entry.percent).padStart(5)} %  ${entry.name}`);
    }
    const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version };
    await writeFile(
      path.join(results, 'profile.json'),
      `${JSON.stringify({ machine, products: BENCH_PRODUCTS, seconds: SECONDS, summaries }, null, 2)}\n`,
    );
  } finally {
    await db.drop();
  }
}

await main();
