import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addStaffMember,
  createStore,
  eventually,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  signUpCustomer,
  startIsolatedTestGraph,
  type IsolatedTestGraph,
  type SharedTestGraph,
} from '@commerce/testkit';
import { createCart, insertShippingZone, placeOrder } from '@commerce/testkit/checkout-kit';
import { adjustStock, createStockedProduct } from '@commerce/testkit/realtime-kit';
import {
  createWebhook,
  ORDER_PAYLOAD,
  startWebhookReceiver,
  testWebhookSettings,
  WEBHOOK_CREATE,
  type WebhookReceiver,
} from '@commerce/testkit/webhook-kit';
import type { PrismaClient } from '@commerce/database';
import { storeSettingsFromEnvironment } from '../src/settings.js';
import { webhookSettingsFromEnvironment } from '../src/webhooks/settings.js';
import type { AddressResolver } from '../src/webhooks/target-guard.js';

let shared: SharedTestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  shared = await sharedTestGraph();
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
  await shared.close();
});

describe('webhook URLs (private addresses refused, as by default)', () => {
  it.each([
    ['http://example.com/hooks', 'https URL'],
    ['https://127.0.0.1/hooks', 'a loopback address'],
    ['https://localhost:8443/hooks', 'a loopback address'],
    ['https://[::1]/hooks', 'a loopback address'],
    ['https://[::ffff:127.0.0.1]/hooks', 'a loopback address'],
    ['https://[::ffff:a9fe:a9fe]/hooks', 'a link-local address'],
    ['https://169.254.169.254/latest/meta-data', 'a link-local address'],
    ['https://10.1.2.3/hooks', 'a private address'],
    ['https://192.168.0.10/hooks', 'a private address'],
    ['https://[fd00::1]/hooks', 'a private (unique local) address'],
    ['https://[fe80::1]/hooks', 'a link-local address'],
    ['https://user:secret@93.184.216.34/hooks', 'credentials'],
    ['ftp://93.184.216.34/hooks', 'https URL'],
  ])('%s is refused at creation (%s)', async (url, reason) => {
    const store = await createStore(shared.client);
    const data = await shared.client.data(
      WEBHOOK_CREATE,
      { input: { url, topics: ['ORDER_CREATED'], query: ORDER_PAYLOAD } },
      { store: store.slug, token: store.owner.accessToken },
    );
    expect(data.webhookCreate.webhook).toBeNull();
    expect(data.webhookCreate.userErrors).toEqual([
      { field: ['input', 'url'], message: expect.stringContaining(reason), code: 'URL_NOT_ALLOWED' },
    ]);
  });

  it('refuses documents that are not a valid webhookEvent subscription of the graph', async () => {
    const store = await createStore(shared.client);
    const refused = async (query: string) => {
      const data = await shared.client.data(
        WEBHOOK_CREATE,
        { input: { url: 'https://93.184.216.34/hooks', topics: ['ORDER_CREATED'], query } },
        { store: store.slug, token: store.owner.accessToken },
      );
      return data.webhookCreate.userErrors.map((error: { code: string }) => error.code);
    };
    expect(await refused('subscription { webhookEvent { nope } }')).toEqual(['INVALID_QUERY']);
    expect(await refused('query { store { name } }')).toEqual(['INVALID_QUERY']);
    expect(await refused('subscription { webhookEvent { topic')).toEqual(['INVALID_QUERY']);
    expect(await refused('subscription ($id: ID!) { orderCreated(storeId: $id) { sequence } }')).toEqual([
      'INVALID_QUERY',
    ]);
    expect(await refused('')).toEqual(['BLANK']);
  });

  it('staff without the permission get FORBIDDEN, and see no webhooks', async () => {
    const store = await createStore(shared.client);
    const manager = await addStaffMember(shared.client, owner, store, 'MANAGER');
    const response = await shared.client.execute(
      WEBHOOK_CREATE,
      { input: { url: 'https://93.184.216.34/hooks', topics: ['ORDER_CREATED'], query: ORDER_PAYLOAD } },
      { store: store.slug, token: manager.accessToken },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const list = await shared.client.execute(
      '{ store { webhooks { id } } }',
      {},
      { store: store.slug, token: manager.accessToken },
    );
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await shared.client.execute('{ store { webhooks { id } } }', {}, { store: store.slug });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('webhookEvent is refused over graphql-ws: it is for webhooks only', async () => {
    const { openSocket } = await import('@commerce/testkit/realtime-kit');
    const store = await createStore(shared.client);
    const socket = openSocket(shared.url, { token: store.owner.accessToken, store: store.slug });
    try {
      const errors = await new Promise<unknown>((resolve) => {
        socket.client.subscribe(
          { query: 'subscription { webhookEvent { topic } }' },
          { next: (value) => resolve(value.errors), error: resolve, complete: () => resolve(null) },
        );
      });
      expect(errors).toMatchObject([
        { extensions: { code: 'BAD_REQUEST' }, message: expect.stringContaining('webhook payloads') },
      ]);
    } finally {
      await socket.dispose();
    }
  });
});

/** DNS as a rebinding attacker runs it: a public address when the webhook is saved, loopback afterwards. */
function rebindingResolver(): AddressResolver & { rebind(): void } {
  let address = '93.184.216.34';
  return {
    rebind: () => {
      address = '127.0.0.1';
    },
    lookup: async (hostname) => {
      if (hostname !== 'hooks.example.test') throw Object.assign(new Error('no such host'), { code: 'ENOTFOUND' });
      return [{ address, family: 4 }];
    },
  };
}

describe('webhook deliveries (private addresses refused)', () => {
  let graph: IsolatedTestGraph;
  let receiver: WebhookReceiver;
  const resolver = rebindingResolver();
  beforeAll(async () => {
    const webhooks = webhookSettingsFromEnvironment({
      ...process.env,
      ...testWebhookSettings({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false', WEBHOOK_ALLOW_HTTP_LOOPBACK: 'false' }),
    });
    graph = await startIsolatedTestGraph({
      subgraphSettings: { store: { ...storeSettingsFromEnvironment(), webhooks } },
      webhookResolver: resolver,
    });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await graph.close();
  });

  it('a host that resolves to a loopback address at delivery time is not connected to', async () => {
    const store = await createStore(graph.client);
    const product = await createStockedProduct(graph.client, store);
    const port = new URL(receiver.url).port;
    const { id } = await createWebhook(graph.client, store, {
      url: `https://hooks.example.test:${port}/hooks`,
      topics: ['INVENTORY_UPDATED'],
      query: 'subscription { webhookEvent { topic } }',
    });
    resolver.rebind();
    await adjustStock(graph.client, store, product.variantId, 1);

    const attempts = () => graph.owner.webhookDeliveryAttempt.findMany({ where: { storeId: keyOf(store.id) } });
    await eventually('an attempt recorded', async () => (await attempts()).length >= 1);
    const [attempt] = await attempts();
    expect(attempt).toMatchObject({ succeeded: false, statusCode: null });
    expect(attempt?.error).toContain('a loopback address (127.0.0.1)');
    expect(receiver.received).toHaveLength(0);
    expect(keyOf(id)).toBeTruthy();
  });
});

describe('webhook payloads and the owner’s permissions', () => {
  let graph: IsolatedTestGraph;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    const webhooks = webhookSettingsFromEnvironment({ ...process.env, ...testWebhookSettings() });
    graph = await startIsolatedTestGraph({
      subgraphSettings: { store: { ...storeSettingsFromEnvironment(), webhooks } },
    });
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await graph.close();
  });

  it('holds only fields the owner may read, as their role is now', async () => {
    const store = await createStore(graph.client);
    await insertShippingZone(graph.owner, store, ['DE'], [{ name: 'Standard', price: '4.90' }]);
    const product = await createStockedProduct(graph.client, store, { stock: 10 });
    const creator = await addStaffMember(graph.client, graph.owner, store, 'OWNER');
    await createWebhook(
      graph.client,
      store,
      {
        url: receiver.url,
        topics: ['ORDER_CREATED'],
        query: 'subscription { webhookEvent { ... on OrderWebhookEvent { order { number customer { email } } } } }',
      },
      creator.accessToken,
    );
    const buyer = await signUpCustomer(graph.client, store);
    const buy = async () => {
      const cart = await createCart(
        graph.client,
        store,
        [{ variantId: product.variantId, quantity: 1 }],
        buyer.accessToken,
      );
      return placeOrder(graph.client, store, cart.id, { token: buyer.accessToken, email: buyer.email });
    };
    const first = await buy();
    await eventually('the first order delivered', () => receiver.received.length === 1);
    expect(receiver.payloads()[0]?.data.order).toEqual({ number: first.number, customer: { email: buyer.email } });

    // The creator is now STAFF, whose role may not read customers.
    await graph.owner.staffMember.updateMany({
      where: { storeId: keyOf(store.id), sellerId: keyOf(creator.id) },
      data: { role: 'STAFF' },
    });
    const second = await buy();
    await eventually('the second order delivered', () => receiver.received.length === 2);
    const payload = receiver.payloads()[1];
    expect(payload?.data.order).toEqual({ number: second.number, customer: null });
    expect(JSON.stringify(payload)).not.toContain(buyer.email);
  });
});
