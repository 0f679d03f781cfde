import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStore,
  eventually,
  keyOf,
  startIsolatedTestGraph,
  type IsolatedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { createCart, insertShippingZone, placeOrder } from '@commerce/testkit/checkout-kit';
import { adjustStock, createStockedProduct, type StockedProduct } from '@commerce/testkit/realtime-kit';
import {
  createWebhook,
  startWebhookReceiver,
  testWebhookSettings,
  type WebhookReceiver,
} from '@commerce/testkit/webhook-kit';
import { storeSettingsFromEnvironment, type StoreSettings } from '../src/settings.js';
import { webhookSettingsFromEnvironment } from '../src/webhooks/settings.js';

/** The store subgraph's settings with the tests' webhook settings (loopback receivers, quick retries). */
function settingsWith(overrides: Record<string, string> = {}): StoreSettings {
  return {
    ...storeSettingsFromEnvironment(),
    webhooks: webhookSettingsFromEnvironment({ ...process.env, ...testWebhookSettings(overrides) }),
  };
}

let graph: IsolatedTestGraph;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  // A database of its own: no other graph's dispatcher may take these deliveries.
  graph = await startIsolatedTestGraph({ subgraphSettings: { store: settingsWith() } });
});
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await graph.close();
});

async function receiver(): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver();
  receivers.push(started);
  return started;
}

async function shop(): Promise<{ store: TestStore; product: StockedProduct }> {
  const store = await createStore(graph.client);
  await insertShippingZone(graph.owner, store, ['DE'], [{ name: 'Standard', price: '4.90' }]);
  const product = await createStockedProduct(graph.client, store, { stock: 100 });
  return { store, product };
}

async function order(store: TestStore, product: StockedProduct, token?: string, email?: string) {
  const cart = await createCart(graph.client, store, [{ variantId: product.variantId, quantity: 2 }], token);
  return placeOrder(graph.client, store, cart.id, { token, email });
}

const DELIVERIES = `query ($id: ID!, $status: WebhookDeliveryStatus) {
  node(id: $id) { ... on Webhook { isActive disabledReason deliveries(first: 10, filter: { status: $status }) {
    nodes { id topic status attemptsCount attempts { statusCode error responseExcerpt durationMs succeeded } }
  } } }
}`;

async function deliveriesOf(store: TestStore, webhookId: string, status?: string) {
  const data = await graph.client.data(
    DELIVERIES,
    { id: webhookId, status },
    { store: store.slug, token: store.owner.accessToken },
  );
  return data.node as {
    isActive: boolean;
    disabledReason: string | null;
    deliveries: { nodes: Array<Record<string, any>> };
  };
}

describe('webhook deliveries', () => {
  it('after a checkout, the receiver gets ORDER_CREATED signed, with fields of three subgraphs', async () => {
    const { store, product } = await shop();
    const hook = await receiver();
    const { secret } = await createWebhook(graph.client, store, { url: hook.url, topics: ['ORDER_CREATED'] });
    expect(secret).toMatch(/^whsec_/);
    const placed = await order(store, product);

    await eventually('the order delivered', () => hook.received.length === 1);
    const [request] = hook.received;
    if (!request) throw new Error('nothing received');
    // An independent verifier (the spec's own library) accepts the signature.
    const verified = new StandardWebhook(secret).verify(request.body, {
      'webhook-id': String(request.headers['webhook-id']),
      'webhook-timestamp': String(request.headers['webhook-timestamp']),
      'webhook-signature': String(request.headers['webhook-signature']),
    }) as Record<string, any>;
    expect(verified.type).toBe('ORDER_CREATED');
    expect(verified.data).toMatchObject({
      topic: 'ORDER_CREATED',
      store: { name: `Store ${store.slug}` },
      order: {
        id: placed.id,
        number: placed.number,
        lines: [{ quantity: 2, variant: { sku: product.sku, product: { title: product.title } } }],
      },
    });
    expect(verified.errors).toBeUndefined();
    // Another secret does not verify it.
    expect(() =>
      new StandardWebhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(request.body, {
        'webhook-id': String(request.headers['webhook-id']),
        'webhook-timestamp': String(request.headers['webhook-timestamp']),
        'webhook-signature': String(request.headers['webhook-signature']),
      }),
    ).toThrow();
  });

  it('sends ORDER_FULFILLED when the last units ship and CUSTOMER_CREATED/UPDATED with the account', async () => {
    const { store, product } = await shop();
    const hook = await receiver();
    const query = `subscription {
      webhookEvent {
        topic
        ... on OrderWebhookEvent { order { id fulfillmentStatus } }
        ... on CustomerWebhookEvent { customer { email firstName } }
      }
    }`;
    await createWebhook(graph.client, store, {
      url: hook.url,
      topics: ['ORDER_FULFILLED', 'CUSTOMER_CREATED', 'CUSTOMER_UPDATED'],
      query,
    });
    const placed = await order(store, product);
    const staff = { store: store.slug, token: store.owner.accessToken };
    const accepted = await graph.client.data(
      'mutation ($input: OrderAcceptInput!) { orderAccept(input: $input) { userErrors { code } } }',
      { input: { orderId: placed.id } },
      staff,
    );
    expect(accepted.orderAccept.userErrors).toEqual([]);
    const shipped = await graph.client.data(
      'mutation ($input: FulfillmentCreateInput!) { fulfillmentCreate(input: $input) { userErrors { code } } }',
      { input: { orderId: placed.id, carrier: 'DHL', trackingNumber: 'T-1' } },
      staff,
    );
    expect(shipped.fulfillmentCreate.userErrors).toEqual([]);
    const email = `hooked-${store.slug}@example.com`;
    const signedUp = await graph.client.data(
      'mutation ($input: CustomerSignUpInput!) { customerSignUp(input: $input) { accessToken userErrors { code } } }',
      { input: { email, password: 'a long enough password 1', firstName: 'Ada', lastName: 'Hook' } },
      { store: store.slug },
    );
    expect(signedUp.customerSignUp.userErrors).toEqual([]);
    const renamed = await graph.client.data(
      'mutation ($input: CustomerUpdateInput!) { customerUpdate(input: $input) { userErrors { code } } }',
      { input: { firstName: 'Augusta' } },
      { store: store.slug, token: signedUp.customerSignUp.accessToken },
    );
    expect(renamed.customerUpdate.userErrors).toEqual([]);

    await eventually('three deliveries', () => hook.received.length === 3);
    const bodies = hook.received.map((request) => JSON.parse(request.body) as Record<string, any>);
    expect(bodies.map((body) => body.type)).toEqual(['ORDER_FULFILLED', 'CUSTOMER_CREATED', 'CUSTOMER_UPDATED']);
    expect(bodies[0]?.data.order).toEqual({ id: placed.id, fulfillmentStatus: 'FULFILLED' });
    // Read when each delivery is sent, with the owner's permissions (who may read customers).
    expect(bodies[1]?.data.customer.email).toBe(email);
    expect(bodies[2]?.data.customer.firstName).toBe('Augusta');
  });

  it('a 500 and then a timeout are retried until the receiver accepts, every attempt kept', async () => {
    const { store, product } = await shop();
    const hook = await receiver();
    hook.answerWith({ status: 500, body: 'database down' }, 'hang');
    const { id } = await createWebhook(graph.client, store, { url: hook.url, topics: ['ORDER_CREATED'] });
    await order(store, product);

    await eventually('three attempts', () => hook.received.length === 3, 20_000);
    const ids = new Set(hook.received.map((request) => request.headers['webhook-id']));
    expect(ids.size).toBe(1);
    await eventually('the delivery recorded as succeeded', async () => {
      const [delivery] = (await deliveriesOf(store, id)).deliveries.nodes;
      return delivery?.status === 'SUCCEEDED';
    });
    const [delivery] = (await deliveriesOf(store, id)).deliveries.nodes;
    expect(delivery).toMatchObject({ topic: 'ORDER_CREATED', status: 'SUCCEEDED', attemptsCount: 3 });
    expect(delivery?.attempts).toMatchObject([
      { statusCode: 500, responseExcerpt: 'database down', succeeded: false, error: null },
      { statusCode: null, succeeded: false, error: expect.stringContaining('timeout') },
      { statusCode: 200, responseExcerpt: 'ok', succeeded: true },
    ]);
    expect(delivery?.attempts[1].durationMs).toBeGreaterThanOrEqual(1_000);
    // Later attempts waited their backoff: at least about the base delay after the first.
    const [first, second] = hook.received;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(150);
  });

  it('a failing delivery holds back the later ones of its topic; all arrive in order', async () => {
    const { store, product } = await shop();
    const hook = await receiver();
    hook.answerWith({ status: 503 }, { status: 503 });
    await createWebhook(graph.client, store, {
      url: hook.url,
      topics: ['INVENTORY_UPDATED'],
      query: 'subscription { webhookEvent { topic sequence ... on InventoryWebhookEvent { variant { sku } } } }',
    });
    for (const delta of [1, 2, 3, 4]) await adjustStock(graph.client, store, product.variantId, delta);

    await eventually('four events accepted', () => hook.received.length === 6, 20_000);
    const payloads = hook.payloads();
    const sequences = payloads.map((payload) => Number(payload.data.sequence));
    // The first event three times (two failures, then accepted), then the rest in order.
    expect(sequences.slice(0, 3)).toEqual([sequences[0], sequences[0], sequences[0]]);
    expect(sequences.slice(2)).toEqual([...sequences.slice(2)].sort((a, b) => a - b));
    expect(new Set(sequences).size).toBe(4);
    expect(payloads[0]?.data.variant).toEqual({ sku: product.sku });
  });

  it('a receiver that keeps failing gets its webhook turned off, with a reason and a mail to the owners', async () => {
    const store = await createStore(graph.client);
    const product = await createStockedProduct(graph.client, store);
    const hook = await receiver();
    hook.fallback = { status: 410, body: 'gone' };
    const { id } = await createWebhook(graph.client, store, {
      url: hook.url,
      topics: ['INVENTORY_UPDATED'],
      query: 'subscription { webhookEvent { topic } }',
    });
    await adjustStock(graph.client, store, product.variantId, 1);
    const webhookId = keyOf(id);
    await eventually(
      'the delivery written',
      async () => (await graph.owner.webhookDelivery.count({ where: { webhookId } })) === 1,
    );
    // As if it had been failing for an hour: the retry window (60 s here) is over at its next failure.
    await graph.owner.webhookDelivery.updateMany({
      where: { webhookId },
      data: { retryingSince: new Date(Date.now() - 3_600_000) },
    });

    await eventually('the webhook turned off', async () => !(await deliveriesOf(store, id)).isActive, 20_000);
    const webhook = await deliveriesOf(store, id);
    expect(webhook.disabledReason).toContain('HTTP 410');
    expect((await deliveriesOf(store, id, 'FAILED')).deliveries.nodes).toHaveLength(1);
    await eventually(
      'the owner mailed',
      async () =>
        (await graph.owner.mailMessage.count({
          where: { storeId: keyOf(store.id), to: store.owner.email, subject: { contains: 'webhook' } },
        })) === 1,
    );
    // Turned off, it is sent nothing more.
    const before = hook.received.length;
    await adjustStock(graph.client, store, product.variantId, 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(hook.received.length).toBe(before);
  });

  it('webhookPing sends a PING; after a rotation both secrets sign until the overlap ends', async () => {
    const store = await createStore(graph.client);
    const hook = await receiver();
    const { id, secret } = await createWebhook(graph.client, store, {
      url: hook.url,
      topics: ['PRODUCT_CREATED'],
      query: 'subscription { webhookEvent { topic store { name } } }',
    });
    const options = { store: store.slug, token: store.owner.accessToken };
    const ping = await graph.client.data(
      'mutation ($id: ID!) { webhookPing(webhookId: $id) { delivery { id status } userErrors { code } } }',
      { id },
      options,
    );
    expect(ping.webhookPing.delivery.status).toBe('PENDING');
    await eventually('the ping received', () => hook.received.length === 1);
    const verify = (key: string, index: number) => {
      const request = hook.received[index];
      if (!request) throw new Error(`no request ${index}`);
      return new StandardWebhook(key).verify(request.body, {
        'webhook-id': String(request.headers['webhook-id']),
        'webhook-timestamp': String(request.headers['webhook-timestamp']),
        'webhook-signature': String(request.headers['webhook-signature']),
      }) as Record<string, any>;
    };
    expect(verify(secret, 0)).toMatchObject({
      type: 'PING',
      data: { topic: null, store: { name: `Store ${store.slug}` } },
    });
    expect(hook.received[0]?.headers['webhook-id']).toBe(ping.webhookPing.delivery.id);

    const rotated = await graph.client.data(
      'mutation ($input: WebhookUpdateInput!) { webhookUpdate(input: $input) { webhook { previousSecretExpiresAt } secret userErrors { code } } }',
      { input: { id, rotateSecret: true } },
      options,
    );
    const next = rotated.webhookUpdate.secret as string;
    expect(next).toMatch(/^whsec_/);
    expect(next).not.toBe(secret);
    expect(rotated.webhookUpdate.webhook.previousSecretExpiresAt).not.toBeNull();
    await graph.client.data(
      'mutation ($id: ID!) { webhookPing(webhookId: $id) { userErrors { code } } }',
      { id },
      options,
    );
    await eventually('the second ping received', () => hook.received.length === 2);
    // Receivers holding either secret accept it during the overlap.
    expect(verify(secret, 1).type).toBe('PING');
    expect(verify(next, 1).type).toBe('PING');
    expect(String(hook.received[1]?.headers['webhook-signature']).split(' ')).toHaveLength(2);
  });

  it('webhookDeliveryRetry sends a given-up delivery again; a delivered one is refused', async () => {
    const store = await createStore(graph.client);
    const hook = await receiver();
    hook.answerWith({ status: 500 });
    const { id } = await createWebhook(graph.client, store, {
      url: hook.url,
      topics: ['PRODUCT_CREATED'],
      query: 'subscription { webhookEvent { topic } }',
    });
    const options = { store: store.slug, token: store.owner.accessToken };
    // A ping is tried once: it fails with the 500.
    await graph.client.data(
      'mutation ($id: ID!) { webhookPing(webhookId: $id) { userErrors { code } } }',
      { id },
      options,
    );
    await eventually(
      'the ping given up',
      async () => (await deliveriesOf(store, id, 'FAILED')).deliveries.nodes.length === 1,
    );
    const [failed] = (await deliveriesOf(store, id, 'FAILED')).deliveries.nodes;
    const RETRY =
      'mutation ($id: ID!) { webhookDeliveryRetry(deliveryId: $id) { delivery { id status } userErrors { field code } } }';
    const retried = await graph.client.data(RETRY, { id: failed?.id }, options);
    expect(retried.webhookDeliveryRetry).toMatchObject({
      delivery: { id: failed?.id, status: 'PENDING' },
      userErrors: [],
    });
    await eventually('sent again and accepted', async () => {
      const [delivery] = (await deliveriesOf(store, id)).deliveries.nodes;
      return delivery?.status === 'SUCCEEDED';
    });
    expect(hook.received).toHaveLength(2);
    const again = await graph.client.data(RETRY, { id: failed?.id }, options);
    expect(again.webhookDeliveryRetry).toEqual({
      delivery: null,
      userErrors: [{ field: ['deliveryId'], code: 'ALREADY_DELIVERED' }],
    });
    const unknown = await graph.client.execute(RETRY, { id: 'nonsense' }, options);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('deliveries and their attempts are kept 30 days, then pruned', async () => {
    const store = await createStore(graph.client);
    const hook = await receiver();
    const { id } = await createWebhook(graph.client, store, {
      url: hook.url,
      topics: ['PRODUCT_CREATED'],
      query: 'subscription { webhookEvent { topic } }',
    });
    const options = { store: store.slug, token: store.owner.accessToken };
    const PING = 'mutation ($id: ID!) { webhookPing(webhookId: $id) { delivery { id } userErrors { code } } }';
    const old = await graph.client.data(PING, { id }, options);
    await graph.client.data(PING, { id }, options);
    await eventually(
      'both pings delivered',
      async () => (await deliveriesOf(store, id, 'SUCCEEDED')).deliveries.nodes.length === 2,
    );
    await graph.owner.webhookDelivery.update({
      where: { storeId_id: { storeId: keyOf(store.id), id: keyOf(old.webhookPing.delivery.id) } },
      data: { createdAt: new Date(Date.now() - 31 * 24 * 3_600_000) },
    });

    expect(await graph.graph.realtime.webhooks?.prune()).toBeGreaterThanOrEqual(1);
    const left = (await deliveriesOf(store, id)).deliveries.nodes;
    expect(left.map((delivery) => delivery.id)).not.toContain(old.webhookPing.delivery.id);
    expect(left).toHaveLength(1);
    expect(
      await graph.owner.webhookDeliveryAttempt.count({ where: { deliveryId: keyOf(old.webhookPing.delivery.id) } }),
    ).toBe(0);
  });
});
