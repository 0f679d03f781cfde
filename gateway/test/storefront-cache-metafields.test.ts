// Custom fields are storefront content: setting or removing a product's or the store's values
// announces them, so an anonymous cached answer shows the new values once the event arrives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStatementCount } from '@commerce/database';
import { createProduct, createStore, eventually, startTestGraph, type TestGraph } from '@commerce/testkit';
import { defineMetafield, METAFIELDS_DELETE, setMetafields } from '@commerce/testkit/metafield-kit';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ storefrontCache: true, realtime: { relayPollIntervalMs: 200 } });
});
afterAll(async () => {
  await graph.close();
});

const LISTING = `{ store { motto: metafield(namespace: "brand", key: "motto") { value }
  products(first: 5) { nodes { variants(first: 1) { nodes { fit: metafield(namespace: "specs", key: "fit") { value } } } } } } }`;

describe('the storefront cache and custom fields', () => {
  it("shows a product's, a variant's and the store's new values once their events arrive", async () => {
    const store = await createStore(graph.client);
    await defineMetafield(graph.client, store, {
      ownerType: 'STORE',
      namespace: 'brand',
      key: 'motto',
      type: 'SINGLE_LINE_TEXT',
    });
    await defineMetafield(graph.client, store, {
      ownerType: 'PRODUCT_VARIANT',
      namespace: 'specs',
      key: 'fit',
      type: 'SINGLE_LINE_TEXT',
    });
    const product = await createProduct(graph.client, store);
    const variantId = product.variants[0]?.id ?? '';
    const read = async () => {
      const data = await graph.client.data(LISTING, {}, { store: store.slug });
      return {
        motto: data.store.motto?.value ?? null,
        fit: data.store.products.nodes[0]?.variants.nodes[0]?.fit?.value ?? null,
      };
    };
    await eventually('an answer from the cache', async () => {
      await read();
      const before = processStatementCount.value;
      await read();
      return processStatementCount.value === before;
    });
    expect(await read()).toEqual({ motto: null, fit: null });

    const set = await setMetafields(graph.client, store, [
      { ownerId: store.id, namespace: 'brand', key: 'motto', value: 'Made to last' },
      { ownerId: variantId, namespace: 'specs', key: 'fit', value: 'Slim' },
    ]);
    expect(set.userErrors).toEqual([]);
    await eventually('the new values', async () => (await read()).fit === 'Slim', 10_000);
    expect(await read()).toEqual({ motto: 'Made to last', fit: 'Slim' });

    // Cached again, then removed: the variant's removal announces its product.
    await eventually('an answer from the cache', async () => {
      await read();
      const before = processStatementCount.value;
      await read();
      return processStatementCount.value === before;
    });
    const removed = await graph.client.data(
      METAFIELDS_DELETE,
      { metafields: [{ ownerId: variantId, namespace: 'specs', key: 'fit' }] },
      { token: store.owner.accessToken, store: store.slug },
    );
    expect(removed.metafieldsDelete.userErrors).toEqual([]);
    await eventually('the value gone', async () => (await read()).fit === null, 10_000);
  });
});
