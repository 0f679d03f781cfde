import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import { createStore, insertOrder, ownerPrisma, startTestGraph, type TestGraph } from '@commerce/testkit';
import {
  adjustStock,
  createStockedProduct,
  openSocket,
  type Socket,
  subscribeLive,
} from '@commerce/testkit/realtime-kit';

// Two gateway processes' worth of graph (each with its own outbox relay and subscription server)
// on one database and one Redis, as replicas behind a load balancer run.
let replicas: TestGraph[];
let owner: PrismaClient;
const sockets: Socket[] = [];

beforeAll(async () => {
  replicas = [await startTestGraph(), await startTestGraph()];
  owner = ownerPrisma();
});
afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.dispose()));
  await owner.$disconnect();
  for (const replica of replicas) await replica.close();
});

function socket(replica: TestGraph, params: Parameters<typeof openSocket>[1]): Socket {
  const opened = openSocket(replica.graph.url, params);
  sockets.push(opened);
  return opened;
}

describe('subscriptions across gateway replicas', () => {
  it('deliver every event once to the subscribers of each replica, whichever relay published it', async () => {
    const [a, b] = replicas as [TestGraph, TestGraph];
    const store = await createStore(a.client);
    const product = await createStockedProduct(a.client, store);
    const ORDERS = `subscription ($storeId: ID!) { orderCreated(storeId: $storeId) { sequence order { id number } } }`;
    const STOCK = `subscription ($productId: ID!) { inventoryUpdated(productId: $productId) { sequence delta variant { id } } }`;
    const ordersAtA = await subscribeLive<{ orderCreated: { sequence: string; order: { id: string } } }>(
      a.graph,
      socket(a, { token: store.owner.accessToken }),
      ORDERS,
      { storeId: store.id },
    );
    const ordersAtB = await subscribeLive<{ orderCreated: { sequence: string; order: { id: string } } }>(
      b.graph,
      socket(b, { token: store.owner.accessToken }),
      ORDERS,
      { storeId: store.id },
    );
    const stockAtB = await subscribeLive<{ inventoryUpdated: { delta: number } }>(
      b.graph,
      socket(b, { store: store.slug }),
      STOCK,
      { productId: product.id },
    );

    const line = {
      productId: product.id,
      variantId: product.variantId,
      title: product.title,
      sku: product.sku,
      quantity: 1,
      unitPrice: '12.50',
    };
    const first = await insertOrder(owner, store, { email: 'one@example.com', lines: [line] });
    await adjustStock(b.client, store, product.variantId, 7);
    const second = await insertOrder(owner, store, { email: 'two@example.com', lines: [line] });

    for (const orders of [ordersAtA, ordersAtB]) {
      const received = await orders.waitFor(2);
      expect(received.map((data) => data.orderCreated.order.id)).toEqual([first.id, second.id]);
    }
    expect((await stockAtB.waitFor(1)).map((data) => data.inventoryUpdated.delta)).toEqual([7]);
    // Nothing more arrives: each event went out once.
    await insertOrder(owner, store, { email: 'three@example.com', lines: [line] });
    expect(await ordersAtA.waitFor(3)).toHaveLength(3);
    expect(await ordersAtB.waitFor(3)).toHaveLength(3);
    expect(stockAtB.results).toHaveLength(1);
  });
});
