// `pnpm bench:checkout`: many buyers checking out at once through the gateway, against a fresh
// database. Half the buyers are signed-in customers, half guests; carts hold 1 to 5 lines of 100
// products (plus five scarce ones that sell out during the run); every tenth cart has a discount
// code; shipping and tax apply. Two scenarios:
//   - checkout only: the carts are created beforehand; each iteration is one checkoutComplete;
//   - cart + checkout: each iteration creates its cart, then checks it out.
// Prints orders/s, latency percentiles, SQL statements per checkout, and checks that nothing was
// oversold (every unit sold is committed, no level below zero, scarce products sold at most their
// stock). Writes bench/results/checkout-latest.json.
//
// Options: --orders N (checkouts per scenario, default 2000), --connections N (concurrent buyers,
// default BENCH_CONNECTIONS or 32), --scenario prepared|combined|both (default both), --stores N
// (default 16: the buyers share the stores round-robin, each store with its own catalog, as on a
// platform of many sellers; a store's checkouts commit one after another, as its order numbers are
// gap-free, so --stores 1 measures one store rather than the platform), --graph-processes N
// (default: one per core up to 4, as replicas of the stateless graph would be deployed; the buyers
// are spread over them round-robin as a load balancer would).
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDatabase, type PrismaClient } from '@commerce/database';
import { forkGraph } from '@commerce/testkit/graph-process';
import { createThrowawayDatabase } from '@commerce/testkit/setup';
import { postgresCpuSeconds, processCpuSeconds } from './process-cpu.js';

// A line per request would be written by the graph processes for every request of the load (and
// read by this process): the figures are of the graph, so its request lines are off unless asked for.
process.env.LOG_LEVEL ??= 'warn';

const { values: options } = parseArgs({
  options: {
    orders: { type: 'string', default: '2000' },
    connections: { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '32' },
    scenario: { type: 'string', default: 'both' },
    stores: { type: 'string', default: '16' },
    // One per core, up to 4: each holds a pool of DATABASE_POOL_SIZE connections.
    'graph-processes': { type: 'string', default: String(Math.min(os.availableParallelism(), 4)) },
  },
});
const ORDERS = Number(options.orders);
const CONNECTIONS = Number(options.connections);
const STORES = Math.max(1, Math.min(Number(options.stores), CONNECTIONS));
const GRAPH_PROCESSES = Math.max(1, Number(options['graph-processes']));
const PRODUCTS = 100;
const SCARCE_PRODUCTS = 5;
const SCARCE_STOCK = 40;
const PLENTY = 1_000_000;

type Json = Record<string, any>;

interface Graph {
  url: string;
  /** Every graph process's URL (the first is url). */
  urls: string[];
  /** The SQL statements the graph processes have sent so far. */
  statements(): Promise<number>;
  /** CPU seconds the graph processes have used (Linux /proc; NaN elsewhere). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** GRAPH_PROCESSES graph processes on one database, seen as one graph. */
async function startGraphs(databaseUrl: string): Promise<Graph> {
  const graphs = await Promise.all(
    Array.from({ length: GRAPH_PROCESSES }, () => forkGraph(databaseUrl, { STOREFRONT_CACHE_TTL_SECONDS: '0' })),
  );
  return {
    url: graphs[0]?.url as string,
    urls: graphs.map((graph) => graph.url),
    statements: async () =>
      (await Promise.all(graphs.map((graph) => graph.statements()))).reduce((sum, count) => sum + count, 0),
    cpuSeconds: () => graphs.reduce((sum, graph) => sum + processCpuSeconds(graph.pid), 0),
    stop: async () => {
      await Promise.all(graphs.map((graph) => graph.stop()));
    },
  };
}

/** A GraphQL request to a graph, or to the graph process a buyer is served by. */
async function call(
  target: { url: string },
  query: string,
  variables: Json,
  headers: Record<string, string>,
): Promise<Json> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Json; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(JSON.stringify(body.errors ?? body));
  return body.data;
}

const CART_CREATE = `mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cart { id } userErrors { code message } } }`;
const CART_CODES = `mutation ($cartId: ID!, $codes: [String!]!) { cartDiscountCodesUpdate(cartId: $cartId, codes: $codes) { userErrors { code } } }`;
const CHECKOUT = `mutation ($input: CheckoutCompleteInput!, $key: String!) {
  checkoutComplete(input: $input, idempotencyKey: $key) { order { id number total { amount currencyCode } } userErrors { code message availableQuantity } }
}`;

interface Buyer {
  /** The graph process serving this buyer. */
  url: string;
  headers: Record<string, string>;
  email: string;
  /** The catalog of the buyer's store. */
  catalog: Catalog;
}

interface Catalog {
  plenty: string[];
  scarce: string[];
}

interface Seeded {
  catalogs: Catalog[];
  buyers: Buyer[];
}

/** STORES stores, each with its catalog, and CONNECTIONS buyers shared among them round-robin. */
async function seed(graph: Graph, owner: PrismaClient): Promise<Seeded> {
  const stores = await Promise.all(
    Array.from({ length: STORES }, (_, store) =>
      seedStore(
        graph,
        owner,
        store,
        Array.from({ length: CONNECTIONS }, (_, index) => index).filter((index) => index % STORES === store),
      ),
    ),
  );
  const buyers = stores
    .flatMap((store) => store.buyers.map((buyer, position) => ({ buyer, index: store.indices[position] as number })))
    .sort((a, b) => a.index - b.index)
    .map((entry) => entry.buyer);
  return { catalogs: stores.map((store) => store.catalog), buyers };
}

async function seedStore(
  graph: Graph,
  owner: PrismaClient,
  storeIndex: number,
  buyerIndices: number[],
): Promise<{ catalog: Catalog; buyers: Buyer[]; indices: number[] }> {
  const slug = `bench-${Date.now().toString(36)}-${storeIndex}`;
  const signUp = await call(
    graph,
    `mutation ($input: SellerSignUpInput!) { sellerSignUp(input: $input) { accessToken } }`,
    {
      input: { email: `${slug}@example.com`, password: 'a long bench passphrase', name: 'Bench' },
    },
    {},
  );
  const staff = { authorization: `Bearer ${signUp.sellerSignUp.accessToken}` };
  const store = await call(
    graph,
    `mutation ($input: StoreCreateInput!) { storeCreate(input: $input) { store { id } } }`,
    { input: { name: 'Checkout Bench', slug, currencyCode: 'EUR' } },
    staff,
  );
  const storeId = Buffer.from(store.storeCreate.store.id, 'base64url').toString('utf8').split(':')[1] as string;
  const headers = { ...staff, 'x-store': slug };
  const variantIds: string[] = [];
  for (let index = 0; index < PRODUCTS + SCARCE_PRODUCTS; index += 1) {
    const scarce = index >= PRODUCTS;
    const created = await call(
      graph,
      `mutation ($input: ProductCreateInput!) { productCreate(input: $input) { product { variants(first: 1) { nodes { id } } } userErrors { message } } }`,
      {
        input: {
          title: `${scarce ? 'Scarce' : 'Bench'} product ${index}`,
          status: 'ACTIVE',
          images: [{ url: `https://example.com/${index}.jpg` }],
          variants: [
            {
              sku: `BENCH-${index}`,
              price: `${5 + (index % 40)}.${String(index % 100).padStart(2, '0')}`,
              inventoryQuantity: scarce ? SCARCE_STOCK : PLENTY,
            },
          ],
        },
      },
      headers,
    );
    variantIds.push(created.productCreate.product.variants.nodes[0].id);
  }
  // Shipping and tax as rows (the store subgraph's own mutations are not needed here).
  const zone = await owner.shippingZone.create({ data: { storeId, name: 'EU', countries: ['DE', 'FR', 'NL'] } });
  await owner.shippingRate.create({ data: { storeId, zoneId: zone.id, name: 'Standard', price: '4.90' } });
  await owner.shippingRate.create({
    data: { storeId, zoneId: zone.id, name: 'Free over 100', price: '0', minOrderAmount: '100' },
  });
  await owner.taxRate.create({ data: { storeId, name: 'VAT DE', countryCode: 'DE', rate: '0.19', inclusive: true } });
  await owner.discountCode.create({ data: { storeId, code: 'BENCH10', type: 'PERCENTAGE', value: '10' } });

  // Half the buyers have accounts (signed up through the API), half are guests.
  const catalog = { plenty: variantIds.slice(0, PRODUCTS), scarce: variantIds.slice(PRODUCTS) };
  const buyers: Buyer[] = await Promise.all(
    buyerIndices.map(async (index): Promise<Buyer> => {
      const email = `buyer-${index}-${slug}@example.com`;
      const url = graph.urls[index % graph.urls.length] as string;
      if (index % 2 === 1) return { url, headers: { 'x-store': slug }, email, catalog };
      const customer = await call(
        graph,
        `mutation ($input: CustomerSignUpInput!) { customerSignUp(input: $input) { accessToken userErrors { message } } }`,
        { input: { email, password: 'plum orchard lantern', firstName: 'Bench', lastName: `Buyer ${index}` } },
        { 'x-store': slug },
      );
      return {
        url,
        headers: { 'x-store': slug, authorization: `Bearer ${customer.customerSignUp.accessToken}` },
        email,
        catalog,
      };
    }),
  );
  return { catalog, buyers, indices: buyerIndices };
}

/** A cart of 1 to 5 distinct variants; about one in ten lines is a scarce product. */
function randomLines(catalog: Catalog, random: () => number): { variantId: string; quantity: number }[] {
  const count = 1 + Math.floor(random() * 5);
  const chosen = new Set<string>();
  while (chosen.size < count) {
    const pool = random() < 0.1 ? catalog.scarce : catalog.plenty;
    chosen.add(pool[Math.floor(random() * pool.length)] as string);
  }
  return [...chosen].map((variantId) => ({ variantId, quantity: 1 + Math.floor(random() * 3) }));
}

async function createCart(buyer: Buyer, index: number): Promise<string | null> {
  const data = await call(
    buyer,
    CART_CREATE,
    { input: { lines: randomLines(buyer.catalog, Math.random) } },
    buyer.headers,
  );
  // A scarce product may be sold out already: that cart is not created, as a storefront would refuse it.
  if (data.cartCreate.userErrors.length) return null;
  const cartId = data.cartCreate.cart.id as string;
  if (index % 10 === 0) await call(buyer, CART_CODES, { cartId, codes: ['BENCH10'] }, buyer.headers);
  return cartId;
}

type Outcome = 'ordered' | 'insufficient' | 'other';

async function checkOut(buyer: Buyer, cartId: string): Promise<Outcome> {
  const data = await call(
    buyer,
    CHECKOUT,
    {
      key: randomUUID(),
      input: {
        cartId,
        email: buyer.email,
        shippingAddress: {
          firstName: 'Bench',
          lastName: 'Buyer',
          address1: 'Hauptstraße 1',
          city: 'Berlin',
          zip: '10115',
          countryCode: 'DE',
        },
        payment: { provider: 'TEST_CARD', cardNumber: '4242424242424242' },
      },
    },
    buyer.headers,
  );
  if (data.checkoutComplete.order) return 'ordered';
  const codes = (data.checkoutComplete.userErrors as { code: string }[]).map((error) => error.code);
  if (codes.includes('INSUFFICIENT_STOCK')) return 'insufficient';
  console.error('unexpected checkout refusal:', JSON.stringify(data.checkoutComplete.userErrors));
  return 'other';
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number);
}

interface ScenarioResult {
  scenario: string;
  iterations: number;
  orders: number;
  insufficientStock: number;
  otherRefusals: number;
  seconds: number;
  ordersPerSecond: number;
  checkoutLatencyMs: { p50: number; p95: number; p99: number; max: number };
  iterationLatencyMs?: { p50: number; p95: number; p99: number };
  sqlStatementsPerCheckout: number;
  sqlStatementsPerIteration: number;
  /** CPU milliseconds the graph processes (gateway and subgraphs, one Node thread each) spent per iteration. */
  graphCpuMsPerIteration: number;
  /** CPU milliseconds PostgreSQL (all its processes) spent per iteration. */
  postgresCpuMsPerIteration: number;
  /** CPU milliseconds this load generator spent per iteration. */
  loadCpuMsPerIteration: number;
}

async function runScenario(graph: Graph, seeded: Seeded, combined: boolean): Promise<ScenarioResult> {
  const name = combined
    ? 'cart + checkout (the cart created in each iteration)'
    : 'checkout only (carts created beforehand)';
  // Each buyer gets its share of the iterations; prepared carts are made before the clock starts.
  const shares = seeded.buyers.map(
    (_, index) => Math.floor(ORDERS / CONNECTIONS) + (index < ORDERS % CONNECTIONS ? 1 : 0),
  );
  const prepared: (string | null)[][] = combined
    ? shares.map(() => [])
    : await Promise.all(
        seeded.buyers.map(async (buyer, index) => {
          const carts: (string | null)[] = [];
          for (let count = 0; count < (shares[index] as number); count += 1) carts.push(await createCart(buyer, count));
          return carts;
        }),
      );
  const checkoutLatencies: number[] = [];
  const iterationLatencies: number[] = [];
  const outcomes: Record<Outcome, number> = { ordered: 0, insufficient: 0, other: 0 };
  let iterations = 0;
  const before = await graph.statements();
  const cpuBefore = graph.cpuSeconds();
  const postgresBefore = postgresCpuSeconds();
  const loadBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    seeded.buyers.map(async (buyer, index) => {
      for (let count = 0; count < (shares[index] as number); count += 1) {
        const iterationStart = performance.now();
        const cartId = combined ? await createCart(buyer, count) : (prepared[index]?.[count] ?? null);
        iterations += 1;
        if (!cartId) continue;
        const checkoutStart = performance.now();
        outcomes[await checkOut(buyer, cartId)] += 1;
        const end = performance.now();
        checkoutLatencies.push(end - checkoutStart);
        iterationLatencies.push(end - iterationStart);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const sent = (await graph.statements()) - before;
  const cpu = graph.cpuSeconds() - cpuBefore;
  const postgresCpu = postgresCpuSeconds() - postgresBefore;
  const loadUsage = process.cpuUsage(loadBefore);
  const perIteration = (seconds: number) => Math.round((seconds * 1000 * 10) / Math.max(1, iterations)) / 10;
  checkoutLatencies.sort((a, b) => a - b);
  iterationLatencies.sort((a, b) => a - b);
  const checkouts = checkoutLatencies.length;
  const result: ScenarioResult = {
    scenario: name,
    iterations,
    orders: outcomes.ordered,
    insufficientStock: outcomes.insufficient,
    otherRefusals: outcomes.other,
    seconds: Math.round(seconds * 100) / 100,
    ordersPerSecond: Math.round(outcomes.ordered / seconds),
    checkoutLatencyMs: {
      p50: percentile(checkoutLatencies, 50),
      p95: percentile(checkoutLatencies, 95),
      p99: percentile(checkoutLatencies, 99),
      max: percentile(checkoutLatencies, 100),
    },
    ...(combined
      ? {
          iterationLatencyMs: {
            p50: percentile(iterationLatencies, 50),
            p95: percentile(iterationLatencies, 95),
            p99: percentile(iterationLatencies, 99),
          },
        }
      : {}),
    sqlStatementsPerCheckout: combined ? 0 : Math.round((sent / Math.max(1, checkouts)) * 10) / 10,
    sqlStatementsPerIteration: Math.round((sent / Math.max(1, iterations)) * 10) / 10,
    graphCpuMsPerIteration: perIteration(cpu),
    postgresCpuMsPerIteration: perIteration(postgresCpu),
    loadCpuMsPerIteration: perIteration((loadUsage.user + loadUsage.system) / 1e6),
  };
  console.log(
    `\n${name}\n  ${result.iterations} iterations, ${checkouts} checkouts (${result.iterations - checkouts} carts not created: a scarce product was sold out)\n` +
      `  ${result.orders} orders (${result.insufficientStock} refused for stock, ${result.otherRefusals} otherwise) in ${result.seconds} s: ${result.ordersPerSecond} orders/s\n` +
      `  checkout latency: p50 ${result.checkoutLatencyMs.p50} ms · p95 ${result.checkoutLatencyMs.p95} ms · p99 ${result.checkoutLatencyMs.p99} ms · max ${result.checkoutLatencyMs.max} ms` +
      (result.iterationLatencyMs
        ? `\n  iteration (cart + checkout): p50 ${result.iterationLatencyMs.p50} ms · p95 ${result.iterationLatencyMs.p95} ms · p99 ${result.iterationLatencyMs.p99} ms`
        : '') +
      `\n  SQL statements: ${combined ? `${result.sqlStatementsPerIteration} per iteration` : `${result.sqlStatementsPerCheckout} per checkout`} (under load, all processes' statements)` +
      `\n  graph CPU: ${result.graphCpuMsPerIteration} ms per iteration (${GRAPH_PROCESSES} process(es), one Node thread each running the gateway and all subgraphs: at most ~${Math.floor((1000 * GRAPH_PROCESSES) / Math.max(0.1, result.graphCpuMsPerIteration))} iterations/s)` +
      `\n  PostgreSQL CPU: ${result.postgresCpuMsPerIteration} ms per iteration · load generator CPU: ${result.loadCpuMsPerIteration} ms per iteration`,
  );
  return result;
}

/** SQL statements of one checkout of a 3-line cart by a signed-in customer, alone. */
async function statementsOfOneCheckout(graph: Graph, seeded: Seeded): Promise<number> {
  const buyer = seeded.buyers[0] as Buyer;
  const data = await call(
    graph,
    CART_CREATE,
    { input: { lines: buyer.catalog.plenty.slice(0, 3).map((variantId) => ({ variantId, quantity: 1 })) } },
    buyer.headers,
  );
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const before = await graph.statements();
  await checkOut(buyer, data.cartCreate.cart.id);
  return (await graph.statements()) - before;
}

/** Nothing oversold: every unit sold is committed, no level is below zero, scarce products sold at most their stock. */
async function checkStock(
  owner: PrismaClient,
  seeded: Seeded,
): Promise<{ ok: boolean; unitsSold: number; scarceSold: number[] }> {
  const rows = await owner.$queryRaw<{ variantId: string; available: number; committed: number; sold: number }[]>`
    SELECT l."variantId", sum(l."available")::int AS "available", sum(l."committed")::int AS "committed",
           COALESCE((SELECT sum(ol."quantity") FROM "OrderLine" ol WHERE ol."variantId" = l."variantId"), 0)::int AS "sold"
    FROM "InventoryLevel" l GROUP BY l."variantId"`;
  const key = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
  const scarce = new Set(seeded.catalogs.flatMap((catalog) => catalog.scarce).map(key));
  let ok = true;
  const scarceSold: number[] = [];
  for (const row of rows) {
    const initial = scarce.has(row.variantId) ? SCARCE_STOCK : PLENTY;
    if (row.available < 0 || row.committed !== row.sold || row.available + row.committed !== initial) ok = false;
    if (scarce.has(row.variantId)) scarceSold.push(row.sold);
  }
  return { ok, unitsSold: rows.reduce((sum, row) => sum + row.sold, 0), scarceSold };
}

async function main(): Promise<void> {
  const db = await createThrowawayDatabase('commerce_bench_checkout');
  const owner = openDatabase({ connectionString: db.url, poolSize: 2 }).prisma;
  let graph: Graph | null = null;
  try {
    graph = await startGraphs(db.url);
    console.log(
      `seeding: ${STORES} store(s) of ${PRODUCTS + SCARCE_PRODUCTS} products, ${CONNECTIONS} buyers (half with accounts) …`,
    );
    const seeded = await seed(graph, owner);
    const single = await statementsOfOneCheckout(graph, seeded);
    console.log(`one checkout of a 3-line cart, alone: ${single} SQL statements`);
    const results: ScenarioResult[] = [];
    if (options.scenario !== 'combined') results.push(await runScenario(graph, seeded, false));
    if (options.scenario !== 'prepared') results.push(await runScenario(graph, seeded, true));
    const stock = await checkStock(owner, seeded);
    console.log(
      `\nstock check: ${stock.ok ? 'nothing oversold' : 'OVERSOLD OR LOST STOCK'} (${stock.unitsSold} units sold; scarce products (stock ${SCARCE_STOCK} each) sold ${stock.scarceSold.join(', ')})`,
    );
    const machine = {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    };
    const directory = fileURLToPath(new URL('./results/', import.meta.url));
    await mkdir(directory, { recursive: true });
    await writeFile(
      path.join(directory, 'checkout-latest.json'),
      `${JSON.stringify(
        {
          at: new Date().toISOString(),
          machine,
          stores: STORES,
          connections: CONNECTIONS,
          graphProcesses: GRAPH_PROCESSES,
          ordersPerScenario: ORDERS,
          sqlStatementsOneCheckout: single,
          stock,
          results,
        },
        null,
        2,
      )}\n`,
    );
    console.log(
      `\nmachine: ${machine.cpus} cores (${machine.cpuModel}), Node ${machine.node}; ${CONNECTIONS} concurrent buyers in ${STORES} store(s), the graph in ${GRAPH_PROCESSES} process(es); written to bench/results/checkout-latest.json`,
    );
    if (!stock.ok) process.exitCode = 1;
  } finally {
    await graph?.stop();
    await owner.$disconnect();
    await db.drop();
  }
}

await main();
