// Prometheus figures at /metrics, scraped as Prometheus would before and after what they count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProduct,
  createStore,
  eventually,
  ownerPrisma,
  signUpCustomer,
  startTestGraph,
  unique,
  type TestGraph,
  type TestStore,
} from '@commerce/testkit';
import type { PrismaClient } from '@commerce/database';
import { address, createCart, insertShippingZone, stockedProductInput } from '@commerce/testkit/checkout-kit';
import { openSocket } from '@commerce/testkit/realtime-kit';

const CHECKOUT = `mutation Checkout($input: CheckoutCompleteInput!, $key: String!) {
  checkoutComplete(input: $input, idempotencyKey: $key) { order { id } userErrors { code } }
}`;

/** One scrape: every sample by its name and labels as written, e.g. commerce_checkouts_total{outcome="placed",code=""}. */
async function scrape(url: string, headers: Record<string, string> = {}): Promise<Map<string, number>> {
  const response = await fetch(url, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  const samples = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*(?:\{.*\})?) (\S+)$/.exec(line);
    if (match) samples.set(match[1]!, Number(match[2]));
  }
  return samples;
}

function metricsUrl(graphqlUrl: string): string {
  return graphqlUrl.replace(/\/graphql$/, '/metrics');
}

let graph: TestGraph;
let owner: PrismaClient;
let store: TestStore;

beforeAll(async () => {
  graph = await startTestGraph({ storefrontCache: true });
  owner = ownerPrisma();
  store = await createStore(graph.client);
  await insertShippingZone(owner, store, ['DE'], [{ name: 'Standard', price: '4.90' }]);
});

afterAll(async () => {
  await owner?.$disconnect();
  await graph?.close();
});

describe('/metrics', () => {
  it('counts checkouts by outcome, requests by operation and subgraph fetches', async () => {
    const url = metricsUrl(graph.graph.url);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '20.00', stock: 5 }]));
    const buyer = await signUpCustomer(graph.client, store);
    const checkout = async (cartId: string, cardNumber: string) =>
      graph.client.execute(
        CHECKOUT,
        {
          key: unique('key'),
          input: {
            cartId,
            email: buyer.email,
            shippingAddress: address(),
            payment: { provider: 'TEST_CARD', cardNumber },
          },
        },
        { store: store.slug, token: buyer.accessToken },
      );
    const first = await createCart(
      graph.client,
      store,
      [{ variantId: product.variants[0]!.id, quantity: 1 }],
      buyer.accessToken,
    );
    const before = await scrape(url);

    expect((await checkout(first.id, '4242424242424242')).data?.checkoutComplete.order).not.toBeNull();
    const second = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 1 }]);
    const declined = await checkout(second.id, '4000000000000002');
    expect(declined.data?.checkoutComplete.userErrors.map((error: { code: string }) => error.code)).toEqual([
      'PAYMENT_DECLINED',
    ]);
    expect((await checkout(second.id, '4000000000000119')).errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');

    const after = await scrape(url);
    const moved = (sample: string) => (after.get(sample) ?? 0) - (before.get(sample) ?? 0);
    expect(moved('commerce_checkouts_total{outcome="placed",code=""}')).toBe(1);
    expect(moved('commerce_checkouts_total{outcome="refused",code="PAYMENT_DECLINED"}')).toBe(1);
    expect(moved('commerce_checkouts_total{outcome="failed",code=""}')).toBe(1);
    expect(moved('commerce_graphql_requests_total{service="gateway",operation="Checkout",outcome="ok"}')).toBe(2);
    expect(
      moved('commerce_graphql_requests_total{service="gateway",operation="Checkout",outcome="server_error"}'),
    ).toBe(1);
    expect(
      moved('commerce_graphql_request_duration_seconds_count{service="gateway",operation="Checkout",outcome="ok"}'),
    ).toBe(2);
    expect(moved('commerce_graphql_requests_total{service="order",operation="Checkout__order__0",outcome="ok"}')).toBe(
      2,
    );
    expect(moved('commerce_graphql_errors_total{service="gateway",code="INTERNAL_SERVER_ERROR"}')).toBe(1);
    // Three checkouts and the second cart.
    expect(moved('commerce_gateway_subgraph_fetch_duration_seconds_count{subgraph="order",outcome="ok"}')).toBe(4);
    // The process's pool and relay are reported at every scrape. The graph is shared with the run's
    // other test files, so a request may be waiting for a connection as it is scraped.
    expect(after.get('commerce_database_pool_connections{state="idle"}')).toBeGreaterThanOrEqual(0);
    expect(after.get('commerce_database_pool_connections{state="in_use"}')).toBeGreaterThanOrEqual(0);
    expect(after.get('commerce_database_pool_waiting')).toBeGreaterThanOrEqual(0);
    expect(after.get('commerce_outbox_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(after.get('process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('counts storefront cache hits and misses', async () => {
    const url = metricsUrl(graph.graph.url);
    const query = `query StoreName { store { id } }`;
    // A store of its own: the events of the other tests' changes drop their store's answers.
    const quiet = await createStore(graph.client);
    const before = await scrape(url);
    await graph.client.data(query, {}, { store: quiet.slug });
    await graph.client.data(query, {}, { store: quiet.slug });
    const after = await scrape(url);
    const moved = (sample: string) => (after.get(sample) ?? 0) - (before.get(sample) ?? 0);
    expect(moved('commerce_storefront_cache_lookups_total{result="miss"}')).toBe(1);
    expect(moved('commerce_storefront_cache_lookups_total{result="hit"}')).toBe(1);
  });

  it('counts open subscription sockets', async () => {
    const url = metricsUrl(graph.graph.url);
    const gauge = 'commerce_subscription_sockets_open';
    const before = (await scrape(url)).get(gauge) ?? 0;
    const socket = openSocket(graph.graph.url, { store: store.slug });
    await eventually('the socket to count', async () => (await scrape(url)).get(gauge) === before + 1);
    await socket.dispose();
    await eventually('the socket to be gone', async () => (await scrape(url)).get(gauge) === before);
  });

  it("is served on each subgraph's port too", async () => {
    const samples = await scrape(metricsUrl(graph.graph.subgraphUrls.catalog));
    expect(samples.get('process_cpu_seconds_total')).toBeGreaterThan(0);
  });
});

describe('/metrics with METRICS_TOKEN', () => {
  let guarded: TestGraph;

  beforeAll(async () => {
    const before = process.env.METRICS_TOKEN;
    process.env.METRICS_TOKEN = 'scrape-secret';
    try {
      guarded = await startTestGraph();
    } finally {
      if (before === undefined) delete process.env.METRICS_TOKEN;
      else process.env.METRICS_TOKEN = before;
    }
  });

  afterAll(async () => {
    await guarded?.close();
  });

  it('answers only the bearer of the token', async () => {
    const url = metricsUrl(guarded.graph.url);
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect(
      (await scrape(url, { authorization: 'Bearer scrape-secret' })).get('process_cpu_seconds_total'),
    ).toBeGreaterThan(0);
    // GraphQL itself is not guarded by it.
    expect((await guarded.client.execute('{ __typename }')).status).toBe(200);
  });
});
