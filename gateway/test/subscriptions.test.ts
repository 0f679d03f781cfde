import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  addStaffMember,
  createStore,
  insertOrder,
  keyOf,
  ownerPrisma,
  signUpCustomer,
  startTestGraph,
  type TestGraph,
  type TestStore,
} from '@commerce/testkit';
import {
  adjustStock,
  createStockedProduct,
  lastSequence,
  openSocket,
  Recording,
  type Socket,
  type StockedProduct,
  subscribeLive,
} from '@commerce/testkit/realtime-kit';

let graph: TestGraph;
let owner: PrismaClient;
const sockets: Socket[] = [];

beforeAll(async () => {
  graph = await startTestGraph();
  owner = ownerPrisma();
});
afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.dispose()));
  await owner.$disconnect();
  await graph.close();
});

function socket(params: Parameters<typeof openSocket>[1] = {}, url = graph.graph.url): Socket {
  const opened = openSocket(url, params);
  sockets.push(opened);
  return opened;
}

interface OrderCreatedData {
  orderCreated: {
    sequence: string;
    occurredAt: string;
    order: {
      id: string;
      number: string;
      total: { amount: string; currencyCode: string };
      customer: { id: string; email: string } | null;
      lines: Array<{
        title: string;
        quantity: number;
        variant: { sku: string | null; inventory: { available: number }; product: { title: string } } | null;
      }>;
    };
  };
}

/** An order with fields from the order, customer and catalog subgraphs, aliases and a fragment. */
const ORDER_CREATED = `subscription ($storeId: ID!, $after: UnsignedInt64) {
  orderCreated(storeId: $storeId, afterSequence: $after) {
    sequence
    occurredAt
    order {
      id
      number
      total { amount currencyCode }
      customer { id email }
      lines { title quantity variant { ...Stock product { title } } }
    }
  }
}
fragment Stock on ProductVariant { sku inventory { available } }`;

async function shop(): Promise<{ store: TestStore; product: StockedProduct }> {
  const store = await createStore(graph.client);
  return { store, product: await createStockedProduct(graph.client, store) };
}

function orderOf(product: StockedProduct, email = 'buyer@example.com', customerId?: string) {
  return {
    email,
    customer: customerId ? { id: customerId, email } : undefined,
    lines: [
      {
        productId: product.id,
        variantId: product.variantId,
        title: product.title,
        sku: product.sku,
        quantity: 2,
        unitPrice: '12.50',
      },
    ],
  };
}

describe('orderCreated over graphql-ws', () => {
  it("delivers a new order to the store's staff with the fields they select from every subgraph", async () => {
    const { store, product } = await shop();
    const customer = await signUpCustomer(graph.client, store);
    const staff = socket({ token: store.owner.accessToken });
    const orders = await subscribeLive<OrderCreatedData>(graph.graph, staff, ORDER_CREATED, { storeId: store.id });

    const placed = await insertOrder(owner, store, orderOf(product, customer.email, customer.id));
    const [event] = await orders.waitFor(1);
    expect(event?.orderCreated).toMatchObject({
      sequence: await lastSequence(owner, store),
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      order: {
        id: placed.id,
        number: placed.number,
        total: { amount: '25.00', currencyCode: 'EUR' },
        customer: { id: customer.id, email: customer.email },
        lines: [
          {
            title: product.title,
            quantity: 2,
            variant: { sku: product.sku, inventory: { available: 10 }, product: { title: product.title } },
          },
        ],
      },
    });
    expect(orders.results[0]?.errors).toBeUndefined();
  });

  it('refuses staff of another store, and anonymous sockets', async () => {
    const { store } = await shop();
    const other = await createStore(graph.client);
    const stranger = new Recording(socket({ token: other.owner.accessToken }).client, ORDER_CREATED, {
      storeId: store.id,
    });
    const anonymous = new Recording(socket({ store: store.slug }).client, ORDER_CREATED, { storeId: store.id });
    await Promise.all([stranger.ended(), anonymous.ended()]);
    expect(stranger.errorCodes).toEqual(['FORBIDDEN']);
    expect(anonymous.errorCodes).toEqual(['UNAUTHENTICATED']);
    expect(stranger.data.filter((data) => data !== null)).toEqual([]);
  });

  it('lets every staff role with the orders permission subscribe', async () => {
    const { store, product } = await shop();
    const clerk = await addStaffMember(graph.client, owner, store, 'STAFF');
    const orders = await subscribeLive<OrderCreatedData>(
      graph.graph,
      socket({ token: clerk.accessToken }),
      ORDER_CREATED,
      { storeId: store.id },
    );
    const placed = await insertOrder(owner, store, orderOf(product));
    const [event] = await orders.waitFor(1);
    expect(event?.orderCreated.order.id).toBe(placed.id);
  });

  it('resumes after a disconnect: orders placed meanwhile arrive once each, in order, then live ones', async () => {
    const { store, product } = await shop();
    const first = socket({ token: store.owner.accessToken });
    const live = await subscribeLive<OrderCreatedData>(graph.graph, first, ORDER_CREATED, { storeId: store.id });
    const one = await insertOrder(owner, store, orderOf(product));
    const [received] = await live.waitFor(1);
    expect(received?.orderCreated.order.id).toBe(one.id);
    await first.dispose();

    const two = await insertOrder(owner, store, orderOf(product));
    const three = await insertOrder(owner, store, orderOf(product));
    const resumed = new Recording<OrderCreatedData>(socket({ token: store.owner.accessToken }).client, ORDER_CREATED, {
      storeId: store.id,
      after: received?.orderCreated.sequence,
    });
    const missed = await resumed.waitFor(2);
    // Should this fail, the message tells which order came and with which sequence.
    const seen = JSON.stringify({
      after: received?.orderCreated.sequence,
      placed: { one: one.id, two: two.id, three: three.id },
      got: missed.map((data) => [data.orderCreated.order.id, data.orderCreated.sequence]),
    });
    expect(
      missed.map((data) => data.orderCreated.order.id),
      seen,
    ).toEqual([two.id, three.id]);

    const four = await insertOrder(owner, store, orderOf(product));
    const all = await resumed.waitFor(3);
    expect(all.map((data) => data.orderCreated.order.id)).toEqual([two.id, three.id, four.id]);
    const sequences = all.map((data) => BigInt(data.orderCreated.sequence));
    expect([...sequences].sort((a, b) => (a < b ? -1 : 1))).toEqual(sequences);
    expect(new Set(sequences).size).toBe(3);
  });

  it('refuses to resume from events that are no longer kept, or from a sequence the store has not reached', async () => {
    const { store, product } = await shop();
    await insertOrder(owner, store, orderOf(product));
    await insertOrder(owner, store, orderOf(product));
    const last = await lastSequence(owner, store);
    const ahead = new Recording(socket({ token: store.owner.accessToken }).client, ORDER_CREATED, {
      storeId: store.id,
      after: String(BigInt(last) + 5n),
    });
    await ahead.ended();
    expect(ahead.errorCodes).toEqual(['BAD_USER_INPUT']);

    // Retention removed the store's oldest events: a replay from before them would have a gap.
    await owner.outboxEvent.deleteMany({ where: { storeId: keyOf(store.id), sequence: { lte: 1n } } });
    const expired = new Recording(socket({ token: store.owner.accessToken }).client, ORDER_CREATED, {
      storeId: store.id,
      after: '0',
    });
    await expired.ended();
    expect(expired.errorCodes).toEqual(['SEQUENCE_EXPIRED']);
  });
});

interface InventoryUpdatedData {
  inventoryUpdated: {
    sequence: string;
    available: number;
    onHand: number;
    delta: number;
    locationId: string;
    variant: {
      id: string;
      sku: string | null;
      inventory: { available: number };
      product: { id: string; title: string };
    };
  };
}

const INVENTORY_UPDATED = `subscription ($productId: ID!, $after: UnsignedInt64) {
  inventoryUpdated(productId: $productId, afterSequence: $after) {
    sequence available onHand delta locationId
    variant { id sku inventory { available } product { id title } }
  }
}`;

describe('inventoryUpdated over graphql-ws', () => {
  it("delivers a stock change of a product's variant to an anonymous storefront", async () => {
    const { store, product } = await shop();
    const storefront = await subscribeLive<InventoryUpdatedData>(
      graph.graph,
      socket({ store: store.slug }),
      INVENTORY_UPDATED,
      { productId: product.id },
    );
    await adjustStock(graph.client, store, product.variantId, 5);
    const [event] = await storefront.waitFor(1);
    expect(event?.inventoryUpdated).toMatchObject({
      sequence: await lastSequence(owner, store),
      available: 15,
      onHand: 15,
      delta: 5,
      locationId: expect.any(String),
      variant: {
        id: product.variantId,
        sku: product.sku,
        inventory: { available: 15 },
        product: { id: product.id, title: product.title },
      },
    });
  });

  it('refuses customers and anonymous storefronts a DRAFT product, and lets its staff subscribe', async () => {
    const { store } = await shop();
    const draft = await createStockedProduct(graph.client, store, { status: 'DRAFT' });
    const customer = await signUpCustomer(graph.client, store);
    const anonymous = new Recording(socket({ store: store.slug }).client, INVENTORY_UPDATED, { productId: draft.id });
    const shopper = new Recording(socket({ token: customer.accessToken }).client, INVENTORY_UPDATED, {
      productId: draft.id,
    });
    await Promise.all([anonymous.ended(), shopper.ended()]);
    expect(anonymous.errorCodes).toEqual(['NOT_FOUND']);
    expect(shopper.errorCodes).toEqual(['NOT_FOUND']);

    const staff = await subscribeLive<InventoryUpdatedData>(
      graph.graph,
      socket({ token: store.owner.accessToken, store: store.slug }),
      INVENTORY_UPDATED,
      { productId: draft.id },
    );
    await adjustStock(graph.client, store, draft.variantId, -4);
    const [event] = await staff.waitFor(1);
    expect(event?.inventoryUpdated).toMatchObject({ available: 6, delta: -4, variant: { id: draft.variantId } });
  });

  it('delivers only the changes of the product subscribed to', async () => {
    const { store, product } = await shop();
    const other = await createStockedProduct(graph.client, store);
    const storefront = await subscribeLive<InventoryUpdatedData>(
      graph.graph,
      socket({ store: store.slug }),
      INVENTORY_UPDATED,
      { productId: product.id },
    );
    await adjustStock(graph.client, store, other.variantId, 1);
    await adjustStock(graph.client, store, product.variantId, 2);
    const [event] = await storefront.waitFor(1);
    expect(event?.inventoryUpdated.variant.id).toBe(product.variantId);
    await adjustStock(graph.client, store, product.variantId, 3);
    const events = await storefront.waitFor(2);
    expect(events.map((data) => data.inventoryUpdated.delta)).toEqual([2, 3]);
  });
});

describe('the subscription socket', () => {
  it('closes a socket whose token does not verify with 4401, and one naming an unknown store with 4403', async () => {
    const forged = socket({ authorization: 'Bearer not-a-token' });
    expect((await forged.closed).code).toBe(4401);
    const lost = socket({ store: 'no-such-store-anywhere' });
    expect((await lost.closed).code).toBe(4403);
  });

  it('serves only subscriptions: queries belong on HTTP', async () => {
    const query = new Recording(socket().client, '{ __typename }');
    await query.ended();
    expect(query.errorCodes).toEqual(['BAD_REQUEST']);
  });

  it('refuses a subscription with an invalid selection before it starts', async () => {
    const invalid = new Recording(socket().client, 'subscription { orderCreated(storeId: "x") { nope } }');
    await invalid.ended();
    expect(invalid.errorCodes).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});
