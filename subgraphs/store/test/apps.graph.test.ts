// Apps through the whole graph: staff create them with a subset of their permissions; an app's
// token does exactly what those allow in its store, appears as the actor of what it changes, and
// stops working when rotated, deactivated or deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appAccessToken } from '@commerce/auth';
import { inScope, type PrismaClient } from '@commerce/database';
import { appendOutboxEvent } from '@commerce/events';
import {
  addStaffMember,
  createProduct,
  createStore,
  errorCodes,
  eventually,
  insertOrder,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { firstVariantId, INVENTORY_ADJUST } from '@commerce/testkit/catalog-kit';
import { asApp, asOwner, createApp, execute, succeed, userErrorsOf, type TestApp } from '@commerce/testkit/store-kit';

let graph: SharedTestGraph;
let owner: PrismaClient;
let store: TestStore;
let otherStore: TestStore;

beforeAll(async () => {
  graph = await sharedTestGraph();
  owner = ownerPrisma();
  store = await createStore(graph.client);
  otherStore = await createStore(graph.client);
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

const ORDER_NOTE = `mutation ($input: OrderNoteAddInput!) { orderNoteAdd(input: $input) {
  order { id events { type actorType actorId } } userErrors { field message code } } }`;
const PRODUCT_TITLES = '{ store { products(first: 10) { nodes { id title } } } }';

/** Whether a token authenticates: a read any authenticated caller of the store may make. */
async function authenticates(app: TestApp): Promise<string[]> {
  return errorCodes(await graph.client.execute(PRODUCT_TITLES, {}, asApp(app)));
}

describe('creating an app', () => {
  it('shows the token once, with its prefix, and keeps only its hash', async () => {
    const payload = await succeed(
      graph.client,
      'appCreate',
      { name: '  ERP sync  ', permissions: ['MANAGE_ORDERS', 'READ_PRODUCTS', 'MANAGE_ORDERS'] },
      asOwner(store),
    );
    expect(payload.accessToken).toMatch(/^cgapp_[A-Za-z0-9_-]{64}$/);
    expect(payload.app).toMatchObject({
      name: 'ERP sync',
      permissions: ['MANAGE_ORDERS', 'READ_PRODUCTS'],
      isActive: true,
      tokenHint: payload.accessToken.slice(-4),
      lastUsedAt: null,
    });

    const listed = await graph.client.data(
      '{ store { apps { id name permissions isActive tokenHint tokenRotatedAt lastUsedAt createdAt updatedAt } } }',
      {},
      asOwner(store),
    );
    const app = listed.store.apps.find((row: { id: string }) => row.id === payload.app.id);
    expect(app).toMatchObject({ name: 'ERP sync', tokenHint: payload.accessToken.slice(-4) });
    expect(JSON.stringify(listed)).not.toContain(payload.accessToken);
    const row = await owner.app.findUniqueOrThrow({
      where: { storeId_id: { storeId: keyOf(store.id), id: keyOf(payload.app.id) } },
    });
    expect(Object.values(row).map(String)).not.toContain(payload.accessToken);
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a blank or too long name and permissions the creator cannot grant', async () => {
    const admin = await addStaffMember(graph.client, owner, store, 'ADMIN');
    const asAdmin = { token: admin.accessToken, store: store.slug };
    expect(await userErrorsOf(graph.client, 'appCreate', { name: '   ', permissions: [] }, asAdmin)).toEqual([
      ['input.name', 'BLANK'],
    ]);
    expect(await userErrorsOf(graph.client, 'appCreate', { name: 'x'.repeat(101), permissions: [] }, asAdmin)).toEqual([
      ['input.name', 'TOO_LONG'],
    ]);
    expect(
      await userErrorsOf(
        graph.client,
        'appCreate',
        { name: 'Too much', permissions: ['MANAGE_ORDERS', 'MANAGE_STORE', 'MANAGE_STAFF', 'MANAGE_APPS'] },
        asAdmin,
      ),
    ).toEqual([
      ['input.permissions.1', 'PERMISSION_NOT_HELD'],
      ['input.permissions.2', 'PERMISSION_NOT_GRANTABLE'],
      ['input.permissions.3', 'PERMISSION_NOT_GRANTABLE'],
    ]);
    expect(await owner.app.count({ where: { storeId: keyOf(store.id), name: 'Too much' } })).toBe(0);
  });

  it('refuses an unknown permission with a code before anything runs', async () => {
    const response = await execute(
      graph.client,
      'appCreate',
      { name: 'Typo', permissions: ['MANAGE_EVERYTHING'] },
      asOwner(store),
    );
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.status).toBe(400);
  });

  it('is for staff with MANAGE_APPS: FORBIDDEN for a MANAGER and for an app', async () => {
    const manager = await addStaffMember(graph.client, owner, store, 'MANAGER');
    const asManager = { token: manager.accessToken, store: store.slug };
    const input = { name: 'Nope', permissions: [] };
    expect(errorCodes(await execute(graph.client, 'appCreate', input, asManager))).toEqual(['FORBIDDEN']);
    const app = await createApp(graph.client, store, ['MANAGE_STORE']);
    expect(errorCodes(await execute(graph.client, 'appCreate', input, asApp(app)))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graph.client.execute('{ store { apps { id } } }', {}, asApp(app)))).toEqual(['FORBIDDEN']);
  });
});

describe("an app's token", () => {
  it('does what its permissions allow and is recorded as the actor of stock movements', async () => {
    const product = await createProduct(graph.client, store, { variants: [{ price: '5.00', inventoryQuantity: 3 }] });
    const app = await createApp(graph.client, store, ['MANAGE_INVENTORY', 'READ_PRODUCTS']);
    const adjusted = await graph.client.data(
      INVENTORY_ADJUST.replace('staffSellerId', 'staffSellerId appId'),
      { input: { variantId: firstVariantId(product), delta: 4, reason: 'received' } },
      asApp(app),
    );
    expect(adjusted.inventoryAdjust.userErrors).toEqual([]);
    expect(adjusted.inventoryAdjust.stockMovement).toMatchObject({
      delta: 4,
      availableAfter: 7,
      actorType: 'app',
      appId: app.id,
      staffSellerId: null,
    });
    // Products it may read, with drafts: READ_PRODUCTS.
    const draft = await createProduct(graph.client, store, { status: 'DRAFT' });
    const read = await graph.client.data(PRODUCT_TITLES, {}, asApp(app));
    expect(read.store.products.nodes.map((node: { id: string }) => node.id)).toContain(draft.id);
  });

  it('is the actor in an order timeline', async () => {
    const app = await createApp(graph.client, store, ['MANAGE_ORDERS']);
    const order = await insertOrder(owner, store);
    const noted = await graph.client.data(
      ORDER_NOTE,
      { input: { orderId: order.id, note: 'Exported to the ERP' } },
      asApp(app),
    );
    expect(noted.orderNoteAdd.userErrors).toEqual([]);
    expect(noted.orderNoteAdd.order.events).toContainEqual({ type: 'NOTE_ADDED', actorType: 'APP', actorId: app.id });
  });

  it('gets FORBIDDEN with a code for whatever its permissions do not allow', async () => {
    const app = await createApp(graph.client, store, ['READ_PRODUCTS']);
    const order = await insertOrder(owner, store);
    const refusals = await Promise.all([
      graph.client.execute(
        'mutation ($input: ProductCreateInput!) { productCreate(input: $input) { product { id } } }',
        { input: { title: 'By an app', status: 'ACTIVE', variants: [{ price: '1.00' }] } },
        asApp(app),
      ),
      graph.client.execute(ORDER_NOTE, { input: { orderId: order.id, note: 'no' } }, asApp(app)),
      graph.client.execute('{ store { customers(first: 5) { nodes { id } } } }', {}, asApp(app)),
      graph.client.execute('{ store { staffMembers { id } } }', {}, asApp(app)),
      execute(graph.client, 'storeUpdate', { description: 'by an app' }, asApp(app)),
      // What only people may do: sellers' and customers' own operations.
      graph.client.execute(
        'mutation { storeCreate(input: { name: "App store", slug: "app-made-store", currencyCode: "EUR" }) { store { id } } }',
        {},
        asApp(app),
      ),
      graph.client.execute(
        'mutation { customerUpdate(input: { firstName: "App" }) { customer { id } } }',
        {},
        asApp(app),
      ),
    ]);
    for (const response of refusals) expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    expect(await owner.product.count({ where: { storeId: keyOf(store.id), title: 'By an app' } })).toBe(0);
  });

  it("reaches no other store's data, whatever X-Store names", async () => {
    const app = await createApp(graph.client, store, ['MANAGE_ORDERS', 'READ_PRODUCTS']);
    const theirs = await insertOrder(owner, otherStore);
    for (const reference of [otherStore.slug, otherStore.id]) {
      const response = await graph.client.execute(PRODUCT_TITLES, {}, { ...asApp(app), store: reference });
      expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    }
    const noted = await graph.client.execute(ORDER_NOTE, { input: { orderId: theirs.id, note: 'x' } }, asApp(app));
    expect(errorCodes(noted)).toEqual(['NOT_FOUND']);
    const read = await graph.client.execute(
      `query ($id: ID!) { order(id: $id) { id } }`,
      { id: theirs.id },
      asApp(app),
    );
    expect(read.data?.order ?? null).toBeNull();
    expect(await owner.orderEvent.count({ where: { orderId: keyOf(theirs.id), type: 'NOTE_ADDED' } })).toBe(0);
  });

  it('keeps working while its store is closed, as staff do', async () => {
    const closed = await createStore(graph.client);
    const app = await createApp(graph.client, closed, ['READ_PRODUCTS']);
    await succeed(graph.client, 'storeUpdate', { status: 'INACTIVE' }, asOwner(closed));
    expect(errorCodes(await graph.client.execute(PRODUCT_TITLES, {}, { store: closed.slug }))).toEqual([
      'STORE_UNAVAILABLE',
    ]);
    expect(await authenticates(app)).toEqual([]);
  });

  it('notes when it was last used', async () => {
    const app = await createApp(graph.client, store, ['READ_PRODUCTS']);
    expect(await authenticates(app)).toEqual([]);
    const row = await owner.app.findUniqueOrThrow({
      where: { storeId_id: { storeId: keyOf(store.id), id: keyOf(app.id) } },
    });
    expect(row.lastUsedAt).not.toBeNull();
  });
});

describe('rotating and revoking', () => {
  it('rotation gives a new token and the old one stops working at once', async () => {
    const app = await createApp(graph.client, store, ['READ_PRODUCTS']);
    expect(await authenticates(app)).toEqual([]);
    const rotated = await succeed(graph.client, 'appTokenRotate', app.id, asOwner(store));
    expect(rotated.accessToken).not.toBe(app.accessToken);
    expect(rotated.app.tokenHint).toBe(rotated.accessToken.slice(-4));
    expect(await authenticates(app)).toEqual(['UNAUTHENTICATED']);
    expect(await authenticates({ id: app.id, accessToken: rotated.accessToken })).toEqual([]);
  });

  it('only someone who holds all its permissions may rotate it', async () => {
    const app = await createApp(graph.client, store, ['MANAGE_STORE']);
    const admin = await addStaffMember(graph.client, owner, store, 'ADMIN');
    const response = await execute(graph.client, 'appTokenRotate', app.id, {
      token: admin.accessToken,
      store: store.slug,
    });
    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
    expect(await authenticates(app)).toEqual([]);
  });

  it('deactivating stops the token until it is activated again', async () => {
    const app = await createApp(graph.client, store, ['READ_PRODUCTS']);
    expect(await authenticates(app)).toEqual([]);
    await succeed(graph.client, 'appUpdate', { id: app.id, isActive: false }, asOwner(store));
    expect(await authenticates(app)).toEqual(['UNAUTHENTICATED']);
    await succeed(graph.client, 'appUpdate', { id: app.id, isActive: true }, asOwner(store));
    expect(await authenticates(app)).toEqual([]);
  });

  it('new permissions apply to the next request', async () => {
    const app = await createApp(graph.client, store, ['READ_PRODUCTS']);
    const customers = '{ store { customers(first: 1) { nodes { id } } } }';
    expect(errorCodes(await graph.client.execute(customers, {}, asApp(app)))).toEqual(['FORBIDDEN']);
    await succeed(graph.client, 'appUpdate', { id: app.id, permissions: ['MANAGE_CUSTOMERS'] }, asOwner(store));
    expect(errorCodes(await graph.client.execute(customers, {}, asApp(app)))).toEqual([]);
  });

  it('deleting stops the token; the app is gone from the list', async () => {
    const app = await createApp(graph.client, store, ['READ_PRODUCTS']);
    expect(await authenticates(app)).toEqual([]);
    const deleted = await succeed(graph.client, 'appDelete', app.id, asOwner(store));
    expect(deleted.deletedAppId).toBe(app.id);
    expect(await authenticates(app)).toEqual(['UNAUTHENTICATED']);
    const listed = await graph.client.data('{ store { apps { id } } }', {}, asOwner(store));
    expect(listed.store.apps.map((row: { id: string }) => row.id)).not.toContain(app.id);
    expect(errorCodes(await execute(graph.client, 'appDelete', app.id, asOwner(store)))).toEqual(['NOT_FOUND']);
  });

  it("another store's staff cannot touch the app", async () => {
    const app = await createApp(graph.client, store, ['READ_PRODUCTS']);
    const response = await execute(graph.client, 'appDelete', app.id, asOwner(otherStore));
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
    expect(await authenticates(app)).toEqual([]);
  });

  it('a change made by another process reaches the gateway through the events, not the cache expiry', async () => {
    const app = await createApp(graph.client, store, ['READ_PRODUCTS']);
    expect(await authenticates(app)).toEqual([]);
    const storeId = keyOf(store.id);
    const where = { storeId_id: { storeId, id: keyOf(app.id) } };
    // Written behind the graph's back: the verified token stays cached, no query per request.
    await owner.app.update({ where, data: { isActive: false } });
    expect(await authenticates(app)).toEqual([]);
    // The event another store process would append with such a change.
    await inScope(owner, { storeId }, (tx) =>
      appendOutboxEvent(tx, {
        storeId,
        type: 'app.updated',
        aggregateType: 'App',
        aggregateId: keyOf(app.id),
        payload: {},
      }),
    );
    await eventually(
      'the gateway to refuse the deactivated app',
      async () => (await authenticates(app)).includes('UNAUTHENTICATED'),
      5_000,
    );
  });

  it('a malformed or made-up app token is UNAUTHENTICATED', async () => {
    for (const accessToken of ['cgapp_short', `cgapp_${'A'.repeat(64)}`]) {
      expect(await authenticates({ id: 'none', accessToken })).toEqual(['UNAUTHENTICATED']);
    }
  });
});

describe('server code acting as an app', () => {
  it("appAccessToken is a credential with exactly the app's permissions, and none once the app is off", async () => {
    const app = await createApp(graph.client, store, ['READ_PRODUCTS']);
    const [storeId, appId] = [keyOf(store.id), keyOf(app.id)];
    const token = await appAccessToken(graph.database.prisma, storeId, appId);
    if (token === null) throw new Error('no credential for an active app');
    expect(errorCodes(await graph.client.execute(PRODUCT_TITLES, {}, { token }))).toEqual([]);
    const customers = await graph.client.execute('{ store { customers(first: 1) { nodes { id } } } }', {}, { token });
    expect(errorCodes(customers)).toEqual(['FORBIDDEN']);
    const elsewhere = await graph.client.execute(PRODUCT_TITLES, {}, { token, store: otherStore.slug });
    expect(errorCodes(elsewhere)).toEqual(['FORBIDDEN']);
    await succeed(graph.client, 'appUpdate', { id: app.id, isActive: false }, asOwner(store));
    expect(await appAccessToken(graph.database.prisma, storeId, appId)).toBeNull();
  });
});
