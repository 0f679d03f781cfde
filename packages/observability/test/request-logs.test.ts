// The graph in a process of its own, its log captured: one line per request at the gateway with
// the fields operators search by, the request id in the subgraphs' lines, internal errors logged
// once with their stack, and no secret of a whole shopping journey anywhere in the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type PrismaClient } from '@commerce/database';
import {
  createIsolatedDatabase,
  createProduct,
  createStore,
  eventually,
  GraphClient,
  signUpCustomer,
  unique,
  type TestStore,
} from '@commerce/testkit';
import { forkGraph, type GraphProcess } from '@commerce/testkit/graph-process';
import { address, insertShippingZone, stockedProductInput } from '@commerce/testkit/checkout-kit';

const APPROVED_CARD = '4242424242424242';
const FAILING_CARD = '4000000000000119';

const CHECKOUT = `mutation Checkout($input: CheckoutCompleteInput!, $key: String!) {
  checkoutComplete(input: $input, idempotencyKey: $key) { order { id number } userErrors { field message code } }
}`;
const CART_CREATE = `mutation CartCreate($input: CartCreateInput!) { cartCreate(input: $input) { cart { id } userErrors { code } } }`;

interface LogLine {
  level: number;
  msg: string;
  service?: string;
  requestId?: string;
  operation?: string | null;
  client?: string | null;
  clientVersion?: string | null;
  store?: string | null;
  caller?: string;
  status?: number;
  durationMs?: number;
  errorCodes?: string[];
  err?: { type: string; message: string; stack: string };
}

let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let graph: GraphProcess;
let owner: PrismaClient;
let client: GraphClient;
let log = '';

function lines(): LogLine[] {
  // Whole lines only: the last one may still be arriving.
  return log
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** POSTs a document with headers of its own; returns status, headers and body. */
async function post(query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const response = await fetch(graph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as {
      data?: Record<string, any>;
      errors?: Array<{ extensions?: Record<string, unknown> }>;
    },
  };
}

async function cartOf(store: TestStore, variantId: string, token: string): Promise<string> {
  const { body } = await post(
    CART_CREATE,
    { input: { lines: [{ variantId, quantity: 1 }] } },
    { 'x-store': store.slug, authorization: `Bearer ${token}` },
  );
  return body.data?.cartCreate.cart.id as string;
}

beforeAll(async () => {
  database = await createIsolatedDatabase();
  // JSON lines (stdout is a pipe), debug for the subgraphs' lines.
  graph = await forkGraph(database.url, { LOG_LEVEL: 'debug' }, (text) => (log += text));
  owner = openDatabase({ connectionString: database.url, poolSize: 2 }).prisma;
  client = new GraphClient(graph.url);
});

afterAll(async () => {
  await owner?.$disconnect();
  await graph?.stop();
  await database?.drop();
});

describe('request logs', () => {
  it('log a whole journey without its passwords, tokens or card number', async () => {
    const store = await createStore(client);
    const seller = await client.data(
      `mutation SellerLogIn($input: SellerLogInInput!) { sellerLogIn(input: $input) { accessToken refreshToken } }`,
      {
        input: { email: store.owner.email, password: store.owner.password },
      },
    );
    const product = await createProduct(client, store, stockedProductInput([{ price: '12.50', stock: 5 }]));
    await insertShippingZone(owner, store, ['DE'], [{ name: 'Standard', price: '4.90' }]);
    const customer = await signUpCustomer(client, store);
    const login = await client.data(
      `mutation CustomerLogIn($input: CustomerLogInInput!) { customerLogIn(input: $input) { accessToken refreshToken userErrors { code } } }`,
      { input: { email: customer.email, password: customer.password } },
      { store: store.slug },
    );
    const token = login.customerLogIn.accessToken as string;
    const cartId = await cartOf(store, product.variants[0]!.id, token);

    const requestId = unique('journey-checkout');
    const placed = await post(
      CHECKOUT,
      {
        key: unique('key'),
        input: {
          cartId,
          email: customer.email,
          shippingAddress: address(),
          payment: { provider: 'TEST_CARD', cardNumber: APPROVED_CARD },
        },
      },
      {
        'x-store': store.slug,
        authorization: `Bearer ${token}`,
        'x-request-id': requestId,
        'apollographql-client-name': 'storefront-web',
        'apollographql-client-version': '1.2.3',
      },
    );
    expect(placed.body.data?.checkoutComplete.order.number).toMatch(/^#\d+$/);
    expect(placed.headers.get('x-request-id')).toBe(requestId);
    const refreshed = await client.data(
      `mutation TokenRefresh($token: String!) { tokenRefresh(refreshToken: $token) { accessToken refreshToken userErrors { code } } }`,
      {
        token: login.customerLogIn.refreshToken,
      },
    );
    expect(refreshed.tokenRefresh.accessToken).toEqual(expect.any(String));

    const servicesOf = (id: string) =>
      new Set(
        lines()
          .filter((line) => line.requestId === id)
          .map((line) => line.service),
      );
    await eventually(
      'the checkout lines of the gateway and the order subgraph',
      () => servicesOf(requestId).has('gateway') && servicesOf(requestId).has('order'),
      30_000,
    );
    const secrets = [
      store.owner.password,
      store.owner.accessToken,
      store.owner.refreshToken,
      seller.sellerLogIn.accessToken,
      seller.sellerLogIn.refreshToken,
      customer.password,
      customer.accessToken,
      customer.refreshToken,
      token,
      login.customerLogIn.refreshToken,
      refreshed.tokenRefresh.accessToken,
      refreshed.tokenRefresh.refreshToken,
      APPROVED_CARD,
    ];
    for (const secret of secrets)
      expect(log.includes(secret), `the log holds a secret (${secret.slice(0, 6)}…)`).toBe(false);
    // Not a vacuous pass: the log does hold the journey, request by request.
    expect(
      lines().filter((line) => line.msg === 'graphql request' && line.service === 'gateway').length,
    ).toBeGreaterThanOrEqual(8);

    const gatewayLine = lines().find((line) => line.requestId === requestId && line.service === 'gateway');
    expect(gatewayLine).toMatchObject({
      msg: 'graphql request',
      operation: 'Checkout',
      client: 'storefront-web',
      clientVersion: '1.2.3',
      store: store.slug,
      caller: 'customer',
      status: 200,
    });
    expect(gatewayLine?.durationMs).toEqual(expect.any(Number));
    expect(gatewayLine?.errorCodes).toBeUndefined();
    // The subgraphs the gateway called for it wrote their lines under the same id.
    const subgraphs = lines()
      .filter((line) => line.requestId === requestId && line.service !== 'gateway')
      .map((line) => line.service);
    expect(subgraphs).toContain('order');
  }, 120_000);

  it("take a request's id from traceparent when no x-request-id is sent", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await post('query Ping { __typename }', {}, { traceparent: `00-${traceId}-00f067aa0ba902b7-01` });
    expect(response.headers.get('x-request-id')).toBe(traceId);
    const generated = await post('query Ping { __typename }', {}, { 'x-request-id': 'not a usable id, with spaces' });
    expect(generated.headers.get('x-request-id')).toMatch(/^[\da-f-]{36}$/);
  });

  it('name the error codes of a refused request and who asked', async () => {
    const requestId = unique('refused');
    const response = await post(
      'query Store { store { id } }',
      {},
      { 'x-store': 'no-such-store-anywhere', 'x-request-id': requestId },
    );
    expect(response.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await eventually('the refused line', () =>
      lines().some((line) => line.requestId === requestId && line.service === 'gateway'),
    );
    expect(lines().find((line) => line.requestId === requestId && line.service === 'gateway')).toMatchObject({
      caller: 'anonymous',
      errorCodes: ['NOT_FOUND'],
    });
  });

  it('log an internal error once, with its stack, and tell the client no more than its code', async () => {
    const store = await createStore(client);
    const product = await createProduct(client, store, stockedProductInput([{ price: '9.00', stock: 5 }]));
    await insertShippingZone(owner, store, ['DE'], [{ name: 'Standard', price: '4.90' }]);
    const customer = await signUpCustomer(client, store);
    const cartId = await cartOf(store, product.variants[0]!.id, customer.accessToken);
    const requestId = unique('broken-provider');
    const failed = await post(
      CHECKOUT,
      {
        key: unique('key'),
        input: {
          cartId,
          email: customer.email,
          shippingAddress: address(),
          payment: { provider: 'TEST_CARD', cardNumber: FAILING_CARD },
        },
      },
      { 'x-store': store.slug, authorization: `Bearer ${customer.accessToken}`, 'x-request-id': requestId },
    );
    expect(failed.status).toBe(200);
    expect(failed.body.errors?.map((error) => error.extensions?.code)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(JSON.stringify(failed.body)).not.toMatch(/stack|provider failed|\.ts:\d+/);

    await eventually('the failed checkout line', () =>
      lines().some((line) => line.requestId === requestId && line.service === 'gateway'),
    );
    const errors = lines().filter((line) => line.requestId === requestId && line.level >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toBe('internal error');
    expect(errors[0]?.err?.type).toBe('TestCardProviderFailure');
    expect(errors[0]?.err?.stack).toMatch(/test-card\.ts:\d+/);
    expect(lines().find((line) => line.requestId === requestId && line.service === 'gateway')).toMatchObject({
      status: 200,
      errorCodes: ['INTERNAL_SERVER_ERROR'],
    });
  });
});
