// `pnpm start` on two worker processes (WEB_CONCURRENCY=2) over a database of its own, without
// Redis, as on a laptop with two cores: both workers serve, every subscriber and every worker's
// storefront cache hears of every change whichever worker made it, a worker that dies is replaced
// (and the replacement takes the relay over), and a stop drains both and exits 0. Which worker
// holds what is read where an operator reads it: /metrics, whose series carry a `worker` label,
// and the primary's log lines naming each worker's process.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectionRefused,
  createIsolatedDatabase,
  createStore,
  eventually,
  freePort,
  GraphClient,
  scrapeMetrics,
  sumOf,
  type TestStore,
} from '@commerce/testkit';
import { asOwner, VARIANTS_UPDATE } from '@commerce/testkit/catalog-kit';
import { createStockedProduct, openSocket, Recording, type Socket } from '@commerce/testkit/realtime-kit';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Migrating, seeding the demo and loading the graph's modules in two workers, on a busy machine. */
const START_TIMEOUT_MS = 180_000;

/** Buckets this test's bursts from one address do not empty (each worker keeps its own without Redis). */
const ROOMY_RATE_LIMITS = Object.fromEntries(
  ['ANONYMOUS', 'CUSTOMER', 'STAFF'].flatMap((kind) => [
    [`RATE_LIMIT_${kind}_BUCKET`, '1000000000'],
    [`RATE_LIMIT_${kind}_RESTORE_RATE`, '1000000000'],
  ]),
);

const LISTING = `query WorkersListing { store { products(first: 5) { nodes { title variants(first: 1) { nodes { price { amount } } } } } } }`;
const STOCK_CHANGE = `mutation WorkersStockChange($input: InventoryAdjustInput!) { inventoryAdjust(input: $input) { userErrors { code } } }`;

interface Listing {
  store: { products: { nodes: { title: string; variants: { nodes: { price: { amount: string } }[] } }[] } };
}

const cleanups: Array<() => Promise<unknown>> = [];
let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let port: number;
let base: string;
let client: GraphClient;
let output = '';
let exited: Promise<number | null>;
let group: number;

beforeAll(async () => {
  database = await createIsolatedDatabase();
  cleanups.push(() => database.drop());
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'start-workers-'));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  client = new GraphClient(`${base}/graphql`);
  // A group of its own, as a terminal gives the command it runs.
  const start = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      ...ROOMY_RATE_LIMITS,
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      PORT: String(port),
      WEB_CONCURRENCY: '2',
      REDIS_URL: '',
      // The primary's lines about its workers are at info.
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_SECONDS: '20',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  group = start.pid ?? 0;
  cleanups.push(async () => process.kill(-group, 'SIGKILL'));
  start.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
  start.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
  exited = new Promise((resolve) => start.once('exit', (code) => resolve(code)));
  await eventually(
    'both workers serving',
    async () => {
      if (start.exitCode !== null) throw new Error(`pnpm start exited: ${output}`);
      return servingPids().size === 2 && (await fetch(`${base}/readyz`).catch(() => null))?.status === 200;
    },
    START_TIMEOUT_MS,
  );
}, START_TIMEOUT_MS + 30_000);

afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

interface LogLine {
  msg?: string;
  worker?: number;
  workerPid?: number;
}

/** The JSON lines the processes have logged so far. */
function logLines(): LogLine[] {
  return output.split('\n').flatMap((line) => (line.startsWith('{') ? [JSON.parse(line) as LogLine] : []));
}

/** The process of each worker, as the primary's latest "worker N serving" line names it. */
function servingPids(): Map<number, number> {
  const pids = new Map<number, number>();
  for (const line of logLines())
    if (line.worker && line.workerPid && line.msg === `worker ${line.worker} serving`)
      pids.set(line.worker, line.workerPid);
  return pids;
}

/** A sum of /metrics samples per worker (1 and 2). */
async function perWorker(name: string, labels: Record<string, string> = {}): Promise<[number, number]> {
  const samples = await scrapeMetrics(`${base}/metrics`);
  return [sumOf(samples, name, { ...labels, worker: '1' }), sumOf(samples, name, { ...labels, worker: '2' })];
}

/** Requests on a connection of their own: the primary hands each new connection to the next worker. */
const FRESH_CONNECTION = { connection: 'close' };

async function listingPrice(store: TestStore): Promise<string | undefined> {
  const listing = await client.data<Listing>(LISTING, {}, { store: store.slug, headers: FRESH_CONNECTION });
  return listing.store.products.nodes[0]?.variants.nodes[0]?.price.amount;
}

async function changePrice(store: TestStore, product: { id: string; variantId: string }, price: string) {
  const { productVariantsUpdate } = await client.data(
    VARIANTS_UPDATE,
    { input: { productId: product.id, variants: [{ id: product.variantId, price }] } },
    asOwner(store),
  );
  expect(productVariantsUpdate.userErrors).toEqual([]);
}

/** Reads the listing over new connections until both workers have answered it from their cache. */
async function cachedOnBothWorkers(store: TestStore): Promise<void> {
  const before = await perWorker('commerce_storefront_cache_lookups_total', { result: 'hit' });
  await eventually('answers from the cache of both workers', async () => {
    await Promise.all([listingPrice(store), listingPrice(store)]);
    const hits = await perWorker('commerce_storefront_cache_lookups_total', { result: 'hit' });
    return hits[0] > before[0] && hits[1] > before[1];
  });
}

describe('pnpm start with WEB_CONCURRENCY=2', () => {
  it('serves requests from both workers', async () => {
    const gateway = { service: 'gateway', operation: 'WorkersListing' };
    const before = await perWorker('commerce_graphql_requests_total', gateway);
    const store = await createStore(client);
    await Promise.all(Array.from({ length: 8 }, () => listingPrice(store)));
    const after = await perWorker('commerce_graphql_requests_total', gateway);
    expect(after[0]).toBeGreaterThan(before[0]);
    expect(after[1]).toBeGreaterThan(before[1]);
    expect(after[0] + after[1] - before[0] - before[1]).toBe(8);
  });

  it('delivers to a subscriber on each worker the events of changes made through the other', async () => {
    const store = await createStore(client);
    const product = await createStockedProduct(client, store, { stock: 10 });
    const sockets: Socket[] = [];
    const recordings: Recording<{ inventoryUpdated: { available: number } }>[] = [];
    try {
      // A socket per worker: each new connection goes to the next worker.
      for (let open = 1; ; open++) {
        const socket = openSocket(`${base}/graphql`, { store: store.slug });
        sockets.push(socket);
        recordings.push(
          new Recording(socket.client, `subscription ($id: ID!) { inventoryUpdated(productId: $id) { available } }`, {
            id: product.id,
          }),
        );
        let perWorkerOpen: [number, number] = [0, 0];
        await eventually('the socket open', async () => {
          perWorkerOpen = await perWorker('commerce_subscription_sockets_open');
          return perWorkerOpen[0] + perWorkerOpen[1] >= open;
        });
        if (perWorkerOpen[0] >= 1 && perWorkerOpen[1] >= 1) break;
        if (open === 4) throw new Error(`four sockets, all on one worker: ${perWorkerOpen.join(', ')}`);
      }
      let stock = 10;
      const changeStock = async () => {
        stock += 1;
        const { inventoryAdjust } = await client.data(
          STOCK_CHANGE,
          { input: { variantId: product.variantId, delta: 1, reason: 'received' } },
          { ...asOwner(store), headers: FRESH_CONNECTION },
        );
        expect(inventoryAdjust.userErrors).toEqual([]);
      };
      // The server takes a subscription on without a word: changes until every one has heard of one.
      await eventually('every subscription live', async () => {
        await changeStock();
        await new Promise((resolve) => setTimeout(resolve, 200));
        return recordings.every((recording) => recording.results.length > 0);
      });

      const heard = recordings.map((recording) => recording.results.length);
      const mutation = { service: 'gateway', operation: 'WorkersStockChange' };
      const before = await perWorker('commerce_graphql_requests_total', mutation);
      let changes = 0;
      await eventually('changes made through both workers', async () => {
        await changeStock();
        changes += 1;
        const after = await perWorker('commerce_graphql_requests_total', mutation);
        return after[0] > before[0] && after[1] > before[1];
      });
      for (const [index, recording] of recordings.entries()) {
        const results = await recording.waitFor((heard[index] ?? 0) + changes);
        expect(results.slice(-changes).map((result) => result.inventoryUpdated.available)).toEqual(
          Array.from({ length: changes }, (_, change) => stock - changes + 1 + change),
        );
      }
    } finally {
      for (const recording of recordings) recording.dispose();
      await Promise.all(sockets.map((socket) => socket.dispose()));
    }
  });

  it('shows a price change on every read, whichever worker answers from its cache', async () => {
    const store = await createStore(client);
    const product = await createStockedProduct(client, store);
    await cachedOnBothWorkers(store);
    expect(await listingPrice(store)).toBe('12.50');

    await changePrice(store, product, '14.00');
    await eventually('the new price', async () => (await listingPrice(store)) === '14.00', 10_000);
    const prices = [];
    for (let read = 0; read < 20; read++) prices.push(await listingPrice(store));
    expect(prices).toEqual(Array.from({ length: 20 }, () => '14.00'));
  });

  it('answers while a killed worker is replaced, and the replacement takes the relay over', async () => {
    const store = await createStore(client);
    const product = await createStockedProduct(client, store);
    const killed = servingPids().get(1);
    if (!killed) throw new Error('worker 1 is not serving');
    process.kill(killed, 'SIGKILL');
    await eventually('the primary to notice', () =>
      logLines().some(
        (line) => line.workerPid === killed && line.msg?.startsWith('worker 1 exited with signal SIGKILL'),
      ),
    );

    // Worker 2 answers alone meanwhile.
    const prices = await Promise.all(Array.from({ length: 6 }, () => listingPrice(store)));
    expect(prices).toEqual(Array.from({ length: 6 }, () => '12.50'));
    await eventually('worker 1 replaced', () => (servingPids().get(1) ?? killed) !== killed, 60_000);

    // Both caches trust the new relay's pulse again, and hear of the next change.
    await cachedOnBothWorkers(store);
    await changePrice(store, product, '15.00');
    await eventually('the new price', async () => (await listingPrice(store)) === '15.00', 10_000);
    const after = [];
    for (let read = 0; read < 10; read++) after.push(await listingPrice(store));
    expect(after).toEqual(Array.from({ length: 10 }, () => '15.00'));
  });

  it('drains both workers on a stop: the request in flight is answered, then it exits 0', async () => {
    const store = await createStore(client);
    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    cleanups.push(() => locker.end());
    await locker.query('BEGIN');
    await locker.query(`SELECT 1 FROM "Store" WHERE slug = $1 FOR UPDATE`, [store.slug]);
    const slow = client.execute(
      `mutation { storeUpdate(input: { name: "Renamed while stopping" }) { store { name } userErrors { code } } }`,
      {},
      asOwner(store),
    );
    await eventually(
      'storeUpdate waiting for the lock',
      async () =>
        ((
          await locker.query<{ count: number }>(
            `SELECT count(*)::int AS count FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`,
          )
        ).rows[0]?.count ?? 0) > 0,
    );

    // Ctrl-C: the terminal signals the whole group.
    process.kill(-group, 'SIGINT');
    await eventually('new connections refused', () => connectionRefused(port));
    await locker.query('COMMIT');
    expect(await slow).toMatchObject({
      status: 200,
      data: { storeUpdate: { store: { name: 'Renamed while stopping' }, userErrors: [] } },
    });
    expect(await exited).toBe(0);
    expect(servingPids().size).toBe(2);
    for (const pid of servingPids().values()) expect(isRunning(pid)).toBe(false);
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
