import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, startTestGraph, type GraphQLResponse, type TestGraph, type TestStore } from '@commerce/testkit';
import { createStockedProduct, openSocket, Recording, type Socket } from '@commerce/testkit/realtime-kit';

/** extensions.cost as clients read it (Shopify's names). */
interface Cost {
  requestedQueryCost: number;
  actualQueryCost: number;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

const ROOMY = { maximumAvailable: 1_000_000, restoreRate: 1_000_000 };
/** A bucket of 10 points, 2 back per second, and operations of at most 10: two listings of three products empty it. */
const TIGHT = {
  maxCost: 10,
  buckets: { anonymous: { maximumAvailable: 10, restoreRate: 2 }, customer: ROOMY, staff: ROOMY },
};

let graph: TestGraph;
let tight: TestGraph;
let untrusting: TestGraph;
const sockets: Socket[] = [];

beforeAll(async () => {
  // Default maximum (1000), anonymous buckets that restore slowly enough to read exact levels.
  graph = await startTestGraph({
    queryCost: {
      buckets: { anonymous: { maximumAvailable: 2_000, restoreRate: 0.001 }, customer: ROOMY, staff: ROOMY },
    },
  });
  // Behind a proxy on loopback (Redis buckets, as replicas share them).
  tight = await startTestGraph({ queryCost: { ...TIGHT, trustedProxies: ['loopback'] } });
  // No trusted proxy, buckets in process.
  untrusting = await startTestGraph({ queryCost: { ...TIGHT, trustedProxies: [], redisUrl: null } });
});
afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.dispose()));
  await Promise.all([graph?.close(), tight?.close(), untrusting?.close()]);
});

/** A store with three ACTIVE products of one variant each. */
async function storeWithThreeProducts(): Promise<TestStore> {
  const store = await createStore(graph.client);
  for (let i = 0; i < 3; i++) await createStockedProduct(graph.client, store);
  return store;
}

function costOf(response: GraphQLResponse<unknown>): Cost {
  return response.extensions?.cost as Cost;
}

/** store 1 + products 1 + 3 products: costs 5 requested and actual in a store of three products. */
const THREE_IDS = `{ store { products(first: 3) { nodes { id } } } }`;

async function post(
  target: TestGraph,
  query: string,
  headers: Record<string, string>,
): Promise<{ status: number; retryAfter: string | null; body: GraphQLResponse<unknown> }> {
  const response = await fetch(target.graph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as GraphQLResponse<unknown>,
  };
}

describe('query cost', () => {
  it('costs objects 1 and scalars 0, and multiplies a connection’s items by first (nested too)', async () => {
    const store = await storeWithThreeProducts();
    // store 1 + products 1 + 10 × (node 1 + variants 1 + 5 × (variant 1 + price 0)) = 72
    const nested = `{ store { products(first: 10) { edges { cursor node { id title variants(first: 5) { nodes { id price { amount } } } } } pageInfo { hasNextPage } } } }`;
    const answer = await graph.client.execute(nested, {}, { store: store.slug });
    expect(answer.errors).toBeUndefined();
    // Three products of one variant each were there: 2 + 3 × (1 + 1 + 1)
    expect(costOf(answer)).toMatchObject({ requestedQueryCost: 72, actualQueryCost: 11 });

    // Variables, fragments, inline fragments and @skip/@include count as execution reads them.
    const shaped = `query ($n: Int!, $skipVariants: Boolean!) { store { products(first: $n) { nodes { ...Card } } } } fragment Card on Product { id ... on Product { variants(first: 4) @skip(if: $skipVariants) { nodes { id } } } }`;
    const withVariants = await graph.client.execute(shaped, { n: 2, skipVariants: false }, { store: store.slug });
    expect(costOf(withVariants).requestedQueryCost).toBe(2 + 2 * (1 + 1 + 4));
    const withoutVariants = await graph.client.execute(shaped, { n: 2, skipVariants: true }, { store: store.slug });
    expect(costOf(withoutVariants).requestedQueryCost).toBe(2 + 2);
    // The default page size (20) when neither first nor last is given.
    expect(
      costOf(await graph.client.execute(`{ store { products { nodes { id } } } }`, {}, { store: store.slug }))
        .requestedQueryCost,
    ).toBe(22);
    // A list's assumed size (@listSize): a storefront menu of three levels counts 5 subcategories a level.
    const menu = `{ store { categories(first: 20) { nodes { name children { name children { name } } } } } }`;
    expect(costOf(await graph.client.execute(menu, {}, { store: store.slug })).requestedQueryCost).toBe(
      2 + 20 * (1 + 5 * (1 + 5)),
    );
  });

  it('costs a mutation 10 over its payload', async () => {
    const store = await createStore(graph.client);
    const answer = await graph.client.execute(
      `mutation { categoryCreate(input: { name: "Shirts" }) { category { id } userErrors { code } } }`,
      {},
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(answer.errors).toBeUndefined();
    // 10 (the mutation and its payload) + category 1 + userErrors (a list of objects, 10 assumed); none came back.
    expect(costOf(answer)).toMatchObject({ requestedQueryCost: 10 + 1 + 10, actualQueryCost: 10 + 1 });
  });

  it('refuses a query over the maximum with MAX_COST_EXCEEDED and its cost, before running it', async () => {
    const store = await storeWithThreeProducts();
    const huge = `{ store { products(first: 100) { nodes { id variants(first: 100) { nodes { id } } } } } }`;
    const answer = await post(graph, huge, { 'x-store': store.slug });
    expect(answer.status).toBe(400);
    expect(answer.body.data).toBeUndefined();
    const cost = 2 + 100 * (1 + 1 + 100);
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'MAX_COST_EXCEEDED', cost, maxCost: 1_000 });
    expect(costOf(answer.body)).toEqual({
      requestedQueryCost: cost,
      actualQueryCost: 0,
      throttleStatus: { maximumAvailable: 2_000, currentlyAvailable: 2_000, restoreRate: 0.001 },
    });
  });

  it('reports extensions.cost on every answer, with errors too, and charges only what was answered', async () => {
    const store = await storeWithThreeProducts();
    const listing = await graph.client.execute(
      `{ store { products(first: 50) { nodes { id } } } }`,
      {},
      { store: store.slug },
    );
    // 52 taken, 47 given back: the answer held three products.
    expect(costOf(listing)).toEqual({
      requestedQueryCost: 52,
      actualQueryCost: 5,
      throttleStatus: { maximumAvailable: 2_000, currentlyAvailable: 1_995, restoreRate: 0.001 },
    });

    const invalid = await graph.client.execute(`{ store { nope } }`, {}, { store: store.slug });
    expect(invalid.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(costOf(invalid)).toMatchObject({
      requestedQueryCost: 0,
      actualQueryCost: 0,
      throttleStatus: { currentlyAvailable: 1_995 },
    });

    const notFound = await graph.client.execute(
      `{ store { product(handle: "none") { id } } }`,
      {},
      { store: store.slug },
    );
    expect(notFound.data).toEqual({ store: { product: null } });
    expect(costOf(notFound)).toMatchObject({ requestedQueryCost: 2, actualQueryCost: 1 });
  });
});

describe('rate limits', () => {
  it('refuses with THROTTLED, 429 and Retry-After when the bucket is empty, and serves again after that time', async () => {
    const store = await storeWithThreeProducts();
    const headers = { 'x-store': store.slug };
    expect((await post(tight, THREE_IDS, headers)).status).toBe(200);
    expect((await post(tight, THREE_IDS, headers)).status).toBe(200);

    const refused = await post(tight, THREE_IDS, headers);
    expect(refused.status).toBe(429);
    expect(refused.body.data).toBeUndefined();
    expect(refused.body.errors?.map((error) => error.extensions?.code)).toEqual(['THROTTLED']);
    const { currentlyAvailable } = costOf(refused.body).throttleStatus;
    expect(currentlyAvailable).toBeLessThan(5);
    // The seconds until 2 points a second make up the 5 asked for.
    expect(refused.retryAfter).toBe(String(Math.ceil((5 - currentlyAvailable) / 2)));
    expect(refused.body.errors?.[0]?.extensions?.retryAfterSeconds).toBe(Number(refused.retryAfter));
    expect(costOf(refused.body)).toMatchObject({
      requestedQueryCost: 5,
      actualQueryCost: 0,
      throttleStatus: { maximumAvailable: 10, restoreRate: 2 },
    });

    await new Promise((resolve) => setTimeout(resolve, Number(refused.retryAfter) * 1_000));
    const again = await post(tight, THREE_IDS, headers);
    expect(again.status).toBe(200);
    expect(again.body.errors).toBeUndefined();
  });

  it('gives anonymous callers behind a trusted proxy a bucket per address (X-Forwarded-For)', async () => {
    const store = await storeWithThreeProducts();
    const from = (address: string) => ({ 'x-store': store.slug, 'x-forwarded-for': address });
    await post(tight, THREE_IDS, from('203.0.113.1'));
    await post(tight, THREE_IDS, from('203.0.113.1'));
    expect((await post(tight, THREE_IDS, from('203.0.113.1'))).status).toBe(429);
    const other = await post(tight, THREE_IDS, from('203.0.113.2'));
    expect(other.status).toBe(200);
    // A bucket of its own: full before this request.
    expect(costOf(other.body).throttleStatus.currentlyAvailable).toBe(5);
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    const store = await storeWithThreeProducts();
    const from = (address: string) => ({ 'x-store': store.slug, 'x-forwarded-for': address });
    await post(untrusting, THREE_IDS, from('203.0.113.1'));
    await post(untrusting, THREE_IDS, from('203.0.113.2'));
    const third = await post(untrusting, THREE_IDS, from('203.0.113.3'));
    expect(third.status).toBe(429);
    expect(third.body.errors?.[0]?.extensions?.code).toBe('THROTTLED');
  });

  it('drains the bucket when subscribing, and refuses a subscription from an empty bucket with THROTTLED', async () => {
    const store = await createStore(graph.client);
    const product = await createStockedProduct(graph.client, store);
    const socket = openSocket(tight.graph.url, { store: store.slug });
    sockets.push(socket);
    // event 1 + variant 1 + product 1 + variants 1 + 4 variants: 8 of the 10 points
    const watch = `subscription ($productId: ID!) { inventoryUpdated(productId: $productId) { sequence variant { product { variants(first: 4) { nodes { id } } } } } }`;
    const first = new Recording(socket.client, watch, { productId: product.id });
    const second = new Recording(socket.client, watch, { productId: product.id });
    await second.ended();
    expect(second.errorCodes).toEqual(['THROTTLED']);
    expect(first.error).toBeNull();
    // The HTTP path of the same caller (store and address) finds the bucket the socket drained.
    const after = await post(tight, `{ store { id } }`, { 'x-store': store.slug });
    expect(costOf(after.body).throttleStatus.currentlyAvailable).toBeLessThan(5);

    const tooCostly = new Recording(
      socket.client,
      `subscription ($productId: ID!) { inventoryUpdated(productId: $productId) { variant { product { variants(first: 20) { nodes { id } } } } } }`,
      { productId: product.id },
    );
    await tooCostly.ended();
    expect(tooCostly.errorCodes).toEqual(['MAX_COST_EXCEEDED']);
  });
});
