// The outbox, polled by sequence, is the truth (DESIGN §13): with no trigger in the database, no
// LISTEN and no wake-up after commits, the relay finds every change by polling alone, and the
// storefront cache and subscribers still hear of it. On a database of its own, so that this
// graph's relay is the only one that could publish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storefrontCacheLookups } from '@commerce/observability';
import { createStore, eventually, startIsolatedTestGraph, type IsolatedTestGraph } from '@commerce/testkit';
import { asOwner, VARIANTS_UPDATE } from '@commerce/testkit/catalog-kit';
import { adjustStock, createStockedProduct, openSocket, subscribeLive } from '@commerce/testkit/realtime-kit';

let graph: IsolatedTestGraph;
beforeAll(async () => {
  graph = await startIsolatedTestGraph({
    storefrontCache: true,
    realtime: { relayDatabaseUrl: null, relayWakeOnCommit: false, relayPollIntervalMs: 250 },
  });
});
afterAll(async () => {
  await graph.close();
});

const PRODUCT = `{ store { products(first: 1) { nodes { totalInventory variants(first: 1) { nodes { price { amount } } } } } } }`;

interface ProductData {
  store: { products: { nodes: { totalInventory: number; variants: { nodes: { price: { amount: string } }[] } }[] } };
}

async function cacheHits(): Promise<number> {
  const { values } = await storefrontCacheLookups.get();
  return values.find((value) => value.labels.result === 'hit')?.value ?? 0;
}

describe('with events found by polling alone', () => {
  it('a price and a stock change made through the API reach the cached storefront and subscribers', async () => {
    const store = await createStore(graph.client);
    const product = await createStockedProduct(graph.client, store, { stock: 5 });
    const read = async () => {
      const node = (await graph.client.data<ProductData>(PRODUCT, {}, { store: store.slug })).store.products.nodes[0];
      return { price: node?.variants.nodes[0]?.price.amount, stock: node?.totalInventory };
    };
    // Answered from the cache before the changes: what follows is the cache hearing of them.
    await eventually('an answer from the cache', async () => {
      const hits = await cacheHits();
      return (await read()).price === '12.50' && (await cacheHits()) > hits;
    });
    const socket = openSocket(graph.url, { store: store.slug });
    try {
      const storefront = await subscribeLive<{ inventoryUpdated: { available: number } }>(
        graph.graph,
        socket,
        `subscription ($productId: ID!) { inventoryUpdated(productId: $productId) { available } }`,
        { productId: product.id },
      );

      const { productVariantsUpdate } = await graph.client.data(
        VARIANTS_UPDATE,
        { input: { productId: product.id, variants: [{ id: product.variantId, price: '14.00' }] } },
        asOwner(store),
      );
      expect(productVariantsUpdate.userErrors).toEqual([]);
      await eventually('the new price', async () => (await read()).price === '14.00', 10_000);

      await adjustStock(graph.client, store, product.variantId, 2);
      await eventually('the new stock', async () => (await read()).stock === 7, 10_000);
      const [event] = await storefront.waitFor(1);
      expect(event?.inventoryUpdated.available).toBe(7);
    } finally {
      await socket.dispose();
    }
  });
});
