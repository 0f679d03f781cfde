// `pnpm bench:analytics` (also part of `pnpm bench`): the analytics a seller reads, at scale, through
// the gateway. On a fresh database it seeds one large store with --orders orders over two years
// (default 20,000; `--orders 1000000` for a million) and nine smaller stores (a hundredth of that
// each, at least 200) in bulk SQL: products with stock, registered customers and guests by email,
// 1 to 4 lines per order, discounts, partial refunds, cancellations, stores in several time zones and
// currencies. It then builds the rollups with the code `pnpm analytics:rebuild` runs, timed, and
// reads, as the large store's owner (who has VIEW_ANALYTICS), every analytics field in a query of
// its own and the whole dashboard, over the last 30 days by DAY and the last 365 days by MONTH:
// --samples requests each (default 40) after --warm-up requests (default 5), one at a time. Prints
// p50/p95 per field and range, the SQL statements of one dashboard (the same for both ranges, or
// the run fails), the seed and rebuild times, and writes bench/results/analytics.json. Targets:
// each field under 200 ms p95, the dashboard under 300 ms p95; a miss is printed, not fatal.
// --keep leaves the database in place (on DATABASE_URL's server) to look into its query plans;
// --database <its owner URL> measures its stores again (after rebuilding them) without seeding.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { rebuildStores } from '@commerce/analytics/read-models';
import { openDatabase } from '@commerce/database';
import { keyOf, toGlobalId } from '@commerce/graphql-kit';
import { forkGraph, type GraphProcess } from '@commerce/testkit/graph-process';
import { createThrowawayDatabase } from '@commerce/testkit/setup';
import { orderHistory, seedBenchOrders } from './seed-orders.js';
import { seedBenchProducts } from './seed-catalog.js';

// A line per request would be written by the graph process: the figures are of the graph.
process.env.LOG_LEVEL ??= 'warn';

const { values: options } = parseArgs({
  options: {
    orders: { type: 'string', default: '20000' },
    samples: { type: 'string', default: '40' },
    'warm-up': { type: 'string', default: '5' },
    // Leave the database in place (and print its URL) to look into its plans afterwards.
    keep: { type: 'boolean', default: false },
    // A database a --keep run left (owner URL): its stores are measured again, not seeded again.
    database: { type: 'string' },
  },
});
const ORDERS = Number(options.orders);
const SAMPLES = Number(options.samples);
const WARM_UP = Number(options['warm-up']);
if (!(Number.isInteger(ORDERS) && ORDERS > 0 && SAMPLES > 0 && WARM_UP >= 0)) {
  console.error('Give --orders, --samples (positive whole numbers) and --warm-up (zero or more).');
  process.exit(2);
}
const SMALL_STORES = 9;
const SMALL_ORDERS = Math.max(200, Math.round(ORDERS / 100));
const LARGE_PRODUCTS = 2_000;
const SMALL_PRODUCTS = 200;
const FIELD_P95_TARGET_MS = 200;
const DASHBOARD_P95_TARGET_MS = 300;

/** The stores: the large one first; time zones and currencies as a platform of sellers has them. */
const STORES = [
  { timezone: 'Europe/Berlin', currencyCode: 'EUR' },
  { timezone: 'America/New_York', currencyCode: 'USD' },
  { timezone: 'Asia/Kolkata', currencyCode: 'INR' },
  { timezone: 'Australia/Sydney', currencyCode: 'AUD' },
  { timezone: 'America/Los_Angeles', currencyCode: 'USD' },
  { timezone: 'Europe/London', currencyCode: 'GBP' },
  { timezone: 'Pacific/Auckland', currencyCode: 'NZD' },
  { timezone: 'America/Sao_Paulo', currencyCode: 'BRL' },
  { timezone: 'UTC', currencyCode: 'EUR' },
  { timezone: 'Asia/Tokyo', currencyCode: 'JPY' },
];

type Json = Record<string, any>;

async function call(url: string, query: string, variables: Json, headers: Record<string, string>): Promise<Json> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Json; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(JSON.stringify(body.errors ?? body));
  return body.data;
}

interface BenchStore {
  id: string;
  slug: string;
  headers: Record<string, string>;
}

const PASSWORD = 'a long bench passphrase';
const sellerEmail = (slug: string) => `${slug}@example.com`;

/** A seller and their store, through the API: the owner holds every permission, VIEW_ANALYTICS too. */
async function createStore(graph: GraphProcess, index: number): Promise<BenchStore> {
  const slug = `analytics-${Date.now().toString(36)}-${index}`;
  const signUp = await call(
    graph.url,
    `mutation ($input: SellerSignUpInput!) { sellerSignUp(input: $input) { accessToken } }`,
    { input: { email: sellerEmail(slug), password: PASSWORD, name: 'Bench' } },
    {},
  );
  const staff = { authorization: `Bearer ${signUp.sellerSignUp.accessToken}` };
  const store = STORES[index] ?? { timezone: 'UTC', currencyCode: 'EUR' };
  const created = await call(
    graph.url,
    `mutation ($input: StoreCreateInput!) { storeCreate(input: $input) { store { id } userErrors { message } } }`,
    { input: { name: `Analytics Bench ${index}`, slug, ...store } },
    staff,
  );
  if (!created.storeCreate.store) throw new Error(JSON.stringify(created.storeCreate.userErrors));
  return { id: keyOf(created.storeCreate.store.id, 'Store'), slug, headers: { ...staff, 'x-store': slug } };
}

/** The stores an earlier run seeded, the large one first. */
async function storesOf(ownerUrl: string): Promise<BenchStore[]> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `SELECT id, slug FROM "Store" WHERE name LIKE 'Analytics Bench %' ORDER BY substring(name from 17)::int`,
    );
    if (rows.length === 0) throw new Error('That database has no stores of this benchmark.');
    return (rows as { id: string; slug: string }[]).map((row) => ({ ...row, headers: {} }));
  } finally {
    await client.end();
  }
}

/** Signs the store's owner in again: seeding a million orders outlasts an access token. */
async function signIn(graph: GraphProcess, store: BenchStore): Promise<void> {
  const data = await call(
    graph.url,
    `mutation ($input: SellerLogInInput!) { sellerLogIn(input: $input) { accessToken } }`,
    { input: { email: sellerEmail(store.slug), password: PASSWORD } },
    {},
  );
  store.headers = { authorization: `Bearer ${data.sellerLogIn.accessToken}`, 'x-store': store.slug };
}

/** Products, customers and orders of each store in bulk SQL, one transaction per store; the order lines seeded. */
async function seedStores(ownerUrl: string, stores: BenchStore[]): Promise<number> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  let lines = 0;
  try {
    await client.query(`SET synchronous_commit = off`);
    for (const [index, store] of stores.entries()) {
      await client.query('BEGIN');
      await seedBenchProducts(client, store.id, index === 0 ? LARGE_PRODUCTS : SMALL_PRODUCTS);
      lines += await seedBenchOrders(client, store.id, orderHistory(index === 0 ? ORDERS : SMALL_ORDERS));
      await client.query('COMMIT');
    }
    await client.query('ANALYZE');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
  return lines;
}

const SALES_FIELDS = `revenue { amount currencyCode } ordersCount averageOrderValue { amount }
  grossSales { amount } discounts { amount } refunds { amount } netSales { amount }
  shipping { amount } tax { amount } total { amount }`;
const SALES = `sales { ${SALES_FIELDS} series { start revenue { amount } ordersCount netSales { amount } } }
  comparison { sales { ${SALES_FIELDS} series { start revenue { amount } ordersCount netSales { amount } } } }
  change { revenue ordersCount averageOrderValue netSales }`;
const TOP = (sortKey: string) =>
  `topProducts(first: 10, sortKey: ${sortKey}) { product { id title images { url } } unitsSold netSales { amount } ordersCount }`;
const CUSTOMERS = `customers { new returning repeatRate averageLifetimeValue { amount } }`;
const INVENTORY = `inventory { lowStock outOfStock stockValue { amount currencyCode }
  variants(first: 10) { nodes { id sku title } pageInfo { hasNextPage endCursor } } }`;
const CONVERSION = `conversion { carts checkouts orders rate cartToCheckoutRate checkoutToOrderRate }`;
const ANALYTICS = (fields: string) => `query ($range: DateRangeInput!, $interval: AnalyticsInterval) {
  store { analytics(range: $range, interval: $interval, compare: PREVIOUS_PERIOD) { upToSequence asOf ${fields} } }
}`;
const PRODUCT_SALES = `product(id: $productId) { title sales(range: $range) { unitsSold netSales { amount } ordersCount } }`;
const LIFETIME = `customer(id: $customerId) { email lifetime { ordersCount netSales { amount } firstOrderAt lastOrderAt } }`;

/** Each field in a query of its own, then the whole dashboard. */
const QUERIES: { name: string; query: string }[] = [
  { name: 'sales (series, PREVIOUS_PERIOD)', query: ANALYTICS(SALES) },
  { name: 'topProducts NET_SALES', query: ANALYTICS(TOP('NET_SALES')) },
  { name: 'topProducts UNITS', query: ANALYTICS(TOP('UNITS')) },
  { name: 'customers', query: ANALYTICS(CUSTOMERS) },
  { name: 'inventory (and its variants)', query: ANALYTICS(INVENTORY) },
  { name: 'conversion', query: ANALYTICS(CONVERSION) },
  {
    name: 'Product.sales',
    query: `query ($range: DateRangeInput!, $productId: ID!) { store { ${PRODUCT_SALES} } }`,
  },
  { name: 'Customer.lifetime', query: `query ($customerId: ID!) { ${LIFETIME} }` },
  {
    name: 'whole dashboard',
    query: `query ($range: DateRangeInput!, $interval: AnalyticsInterval, $productId: ID!, $customerId: ID!) {
      store {
        analytics(range: $range, interval: $interval, compare: PREVIOUS_PERIOD) {
          upToSequence asOf ${SALES} bySales: ${TOP('NET_SALES')} byUnits: ${TOP('UNITS')} ${CUSTOMERS} ${INVENTORY} ${CONVERSION}
        }
        ${PRODUCT_SALES}
      }
      ${LIFETIME}
    }`,
  },
];

const DAY_MS = 86_400_000;
/** The last `days` whole UTC days up to the end of today, by `interval`. */
function lastDays(days: number, interval: 'DAY' | 'MONTH') {
  const end = Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS;
  return { range: { from: new Date(end - days * DAY_MS).toISOString(), to: new Date(end).toISOString() }, interval };
}
const RANGES = [
  { name: '30 days by DAY', ...lastDays(30, 'DAY') },
  { name: '365 days by MONTH', ...lastDays(365, 'MONTH') },
];

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
const round = (ms: number) => Math.round(ms * 10) / 10;

/** p50/p95 of a query over SAMPLES requests, one at a time, after WARM_UP unmeasured ones. */
async function latency(graph: GraphProcess, store: BenchStore, query: string, variables: Json) {
  for (let i = 0; i < WARM_UP; i += 1) await call(graph.url, query, variables, store.headers);
  const times: number[] = [];
  let answer: Json = {};
  for (let i = 0; i < SAMPLES; i += 1) {
    const started = performance.now();
    answer = await call(graph.url, query, variables, store.headers);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), answer };
}

/** The SQL statements the graph sends for one request (the fewest of three: nothing else runs meanwhile, but be sure). */
async function statementsOf(graph: GraphProcess, store: BenchStore, query: string, variables: Json): Promise<number> {
  const counts: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const before = await graph.statements();
    await call(graph.url, query, variables, store.headers);
    counts.push((await graph.statements()) - before);
  }
  return Math.min(...counts);
}

async function main(): Promise<void> {
  const db = options.database
    ? { url: options.database, drop: async () => undefined }
    : await createThrowawayDatabase('commerce_bench_analytics');
  let graph: GraphProcess | undefined;
  try {
    graph = await forkGraph(db.url, { STOREFRONT_CACHE_TTL_SECONDS: '0' });
    let stores: BenchStore[];
    let seeded: { seconds: number; orderLines: number } | null = null;
    if (options.database) {
      stores = await storesOf(db.url);
      console.log(`measuring the ${stores.length} stores seeded earlier in ${new URL(db.url).pathname.slice(1)}`);
    } else {
      stores = [];
      for (let index = 0; index <= SMALL_STORES; index += 1) stores.push(await createStore(graph, index));
      const seedStarted = performance.now();
      const orderLines = await seedStores(db.url, stores);
      seeded = { seconds: (performance.now() - seedStarted) / 1000, orderLines };
      const totalOrders = ORDERS + SMALL_STORES * SMALL_ORDERS;
      console.log(
        `seeded ${totalOrders.toLocaleString('en')} orders (${orderLines.toLocaleString('en')} lines) in ${seeded.seconds.toFixed(1)} s: one store of ${ORDERS.toLocaleString('en')}, ${SMALL_STORES} of ${SMALL_ORDERS.toLocaleString('en')}`,
      );
    }
    const large = stores[0] as BenchStore;

    const owner = openDatabase({ connectionString: db.url, poolSize: 1 });
    let rebuilt: Awaited<ReturnType<typeof rebuildStores>>;
    try {
      rebuilt = await rebuildStores(owner.prisma, null);
      // As autovacuum would after a rebuild: statistics, and the visibility map for index-only scans.
      await owner.prisma.$executeRawUnsafe('VACUUM ANALYZE');
    } finally {
      await owner.disconnect();
    }
    const rebuildSeconds = (rebuilt.find((store) => store.id === large.id)?.milliseconds ?? Number.NaN) / 1000;
    const allSeconds = rebuilt.reduce((sum, store) => sum + store.milliseconds, 0) / 1000;
    console.log(
      `rebuilt the rollups (pnpm analytics:rebuild's code): the large store in ${rebuildSeconds.toFixed(1)} s, all ${rebuilt.length} stores in ${allSeconds.toFixed(1)} s`,
    );

    await signIn(graph, large);
    // The large store's best seller of the last 30 days and its most loyal customer, for the entity fields.
    const top = await call(graph.url, ANALYTICS(TOP('NET_SALES')), RANGES[0] ?? {}, large.headers);
    const productId = top.store.analytics.topProducts[0]?.product.id as string;
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const [loyal] = (
      await client.query(
        `SELECT "customerId" FROM "AnalyticsBuyer" WHERE "storeId" = $1 AND "customerId" IS NOT NULL ORDER BY "ordersCount" DESC LIMIT 1`,
        [large.id],
      )
    ).rows as { customerId: string }[];
    await client.end();
    const customerId = toGlobalId('Customer', loyal?.customerId ?? '');

    const results: {
      field: string;
      range: string;
      p50: number;
      p95: number;
      targetMs: number;
    }[] = [];
    const statements: Record<string, number> = {};
    const answers: Record<string, Json> = {};
    for (const range of RANGES) {
      const variables = { range: range.range, interval: range.interval, productId, customerId };
      for (const { name, query } of QUERIES) {
        // A fresh access token for each field's samples: a slow store's samples outlast one.
        await signIn(graph, large);
        const { p50, p95, answer } = await latency(graph, large, query, variables);
        const targetMs = name === 'whole dashboard' ? DASHBOARD_P95_TARGET_MS : FIELD_P95_TARGET_MS;
        results.push({ field: name, range: range.name, p50, p95, targetMs });
        if (name === 'whole dashboard') {
          statements[range.name] = await statementsOf(graph, large, query, variables);
          answers[range.name] = answer;
        }
      }
    }

    const fieldWidth = Math.max(...QUERIES.map((query) => query.name.length));
    const cell = (value: number) => `${value.toFixed(1)}`.padStart(7);
    console.log(
      `\n${'field'.padEnd(fieldWidth)} │ ${RANGES.map((range) => range.name.padEnd(17)).join(' │ ')} │ p95 target`,
    );
    console.log(`${''.padEnd(fieldWidth)} │ ${RANGES.map(() => '    p50     p95  ').join(' │ ')} │`);
    const misses: string[] = [];
    for (const { name } of QUERIES) {
      const rows = RANGES.map((range) => results.find((row) => row.field === name && row.range === range.name));
      const target = rows[0]?.targetMs ?? 0;
      for (const row of rows) if (row && row.p95 > target) misses.push(`${name}, ${row.range}: p95 ${row.p95} ms`);
      console.log(
        `${name.padEnd(fieldWidth)} │ ${rows.map((row) => `${cell(row?.p50 ?? Number.NaN)} ${cell(row?.p95 ?? Number.NaN)}  `).join(' │ ')} │ < ${target} ms`,
      );
    }
    const dashboard = answers[RANGES[0]?.name ?? '']?.store.analytics;
    console.log(
      `\nSQL statements of one whole dashboard: ${RANGES.map((range) => `${statements[range.name]} (${range.name})`).join(', ')}`,
    );
    console.log(
      `the large store, last 30 days: ${dashboard?.sales.ordersCount} orders, revenue ${dashboard?.sales.revenue.amount} ${dashboard?.sales.revenue.currencyCode}, ${dashboard?.customers.new} new and ${dashboard?.customers.returning} returning buyers`,
    );
    console.log(
      misses.length ? `\nover target:\n  ${misses.join('\n  ')}` : '\nevery field and the dashboard within target',
    );

    const machine = {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadAverage: os.loadavg().map((load) => Math.round(load * 10) / 10),
    };
    const directory = fileURLToPath(new URL('./results/', import.meta.url));
    await mkdir(directory, { recursive: true });
    await writeFile(
      path.join(directory, 'analytics.json'),
      `${JSON.stringify(
        {
          at: new Date().toISOString(),
          machine,
          orders: options.database
            ? null
            : {
                largeStore: ORDERS,
                smallStores: SMALL_STORES,
                perSmallStore: SMALL_ORDERS,
                orderLines: seeded?.orderLines,
              },
          seedSeconds: seeded ? round(seeded.seconds) : null,
          rebuildSeconds: { largeStore: round(rebuildSeconds), allStores: round(allSeconds) },
          samples: SAMPLES,
          warmUp: WARM_UP,
          latencyMs: results,
          dashboardStatements: statements,
        },
        null,
        2,
      )}\n`,
    );
    console.log(
      `\nmachine: ${machine.cpus} cores (${machine.cpuModel}), load ${machine.loadAverage.join(' ')}, Node ${machine.node}; written to bench/results/analytics.json`,
    );
    const counts = Object.values(statements);
    if (new Set(counts).size !== 1) {
      throw new Error(`a dashboard's SQL statements depend on its range: ${JSON.stringify(statements)}`);
    }
  } finally {
    await graph?.stop();
    if (options.keep || options.database) console.log(`kept the database: ${db.url}`);
    else await db.drop();
  }
}

await main();
