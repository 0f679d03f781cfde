import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import { createStore, insertOrder, startIsolatedTestGraph, type IsolatedTestGraph } from '@commerce/testkit';
import { createStockedProduct, openSocket, type Socket, subscribeLive } from '@commerce/testkit/realtime-kit';

// The embedded default: no REDIS_URL, so the relay hands events to subscribers in its own process.
// Its own database, because its relay must not publish the run's events onto a bus nobody else hears.
let graph: IsolatedTestGraph;
let owner: PrismaClient;
let staff: Socket | undefined;

beforeAll(async () => {
  graph = await startIsolatedTestGraph();
  owner = graph.owner;
});
afterAll(async () => {
  await staff?.dispose();
  await graph?.close();
});

describe('events without Redis', () => {
  it('reach subscribers in the same process, replay included', async () => {
    const store = await createStore(graph.client);
    const product = await createStockedProduct(graph.client, store);
    const line = {
      productId: product.id,
      variantId: product.variantId,
      title: product.title,
      sku: product.sku,
      quantity: 1,
      unitPrice: '12.50',
    };
    staff = openSocket(graph.graph.url, { token: store.owner.accessToken });
    const orders = await subscribeLive<{ orderCreated: { sequence: string; order: { id: string; number: string } } }>(
      graph.graph,
      staff,
      `subscription ($storeId: ID!, $after: UnsignedInt64) { orderCreated(storeId: $storeId, afterSequence: $after) { sequence order { id number } } }`,
      { storeId: store.id, after: '0' },
    );
    const first = await insertOrder(owner, store, { email: 'one@example.com', lines: [line] });
    const second = await insertOrder(owner, store, { email: 'two@example.com', lines: [line] });
    const received = await orders.waitFor(2);
    expect(received.map((data) => data.orderCreated.order)).toEqual([first, second]);
  });
});
