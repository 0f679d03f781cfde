import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProduct,
  createStore,
  sharedTestGraph,
  unique,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { asOwner } from '@commerce/testkit/catalog-kit';

let graph: SharedTestGraph;
beforeAll(async () => {
  graph = await sharedTestGraph();
});
afterAll(() => graph.close());

const SEARCH = `query ($query: String, $sortKey: ProductSortKeys) {
  store { products(first: 50, filter: { query: $query }, sortKey: $sortKey) { nodes { title } totalCount } }
}`;

/** Titles a caller finds for a search, in the listing's order. */
async function search(
  store: TestStore,
  query: string,
  options: { sortKey?: string; token?: string } = {},
): Promise<string[]> {
  const data = await graph.client.data(
    SEARCH,
    { query, sortKey: options.sortKey ?? 'RELEVANCE' },
    { store: store.slug, token: options.token },
  );
  return data.store.products.nodes.map((node: { title: string }) => node.title);
}

describe('searching products', () => {
  it('finds a product by the start of any word of its title, ignoring case, as the user types', async () => {
    const store = await createStore(graph.client);
    await createProduct(graph.client, store, { title: 'Linen Shirt' });
    await createProduct(graph.client, store, { title: 'Wool Scarf' });
    for (const typed of ['l', 'li', 'lin', 'LINE', 'linen', 'sh', 'linen sh', 'SHIRT LIN']) {
      expect(await search(store, typed), typed).toEqual(['Linen Shirt']);
    }
    expect(await search(store, 'linens')).toEqual([]);
    expect(await search(store, 'linen scarf')).toEqual([]);
  });

  it('finds a product by its SKU, whole or by its start, and by a tag or a word of its description', async () => {
    const store = await createStore(graph.client);
    const sku = `LMP-${unique('x').slice(2)}`;
    await createProduct(graph.client, store, {
      title: 'Desk Light',
      tags: ['office'],
      description: '<p>Warm brass finish.</p>',
      variants: [{ sku, price: '20.00' }],
    });
    await createProduct(graph.client, store, { title: 'Stool' });
    expect(await search(store, sku)).toEqual(['Desk Light']);
    expect(await search(store, sku.toLowerCase())).toEqual(['Desk Light']);
    expect(await search(store, 'lmp')).toEqual(['Desk Light']);
    expect(await search(store, 'offi')).toEqual(['Desk Light']);
    expect(await search(store, 'brass')).toEqual(['Desk Light']);
    // Markup is not text.
    expect(await search(store, 'p')).toEqual([]);
  });

  it('ranks a title match above a tag or SKU match, and those above a description-only match', async () => {
    const store = await createStore(graph.client);
    await createProduct(graph.client, store, { title: 'Garden Chair', description: 'Made of oak.' });
    await createProduct(graph.client, store, { title: 'Oak Table' });
    await createProduct(graph.client, store, { title: 'Shelf', tags: ['oak'] });
    await createProduct(graph.client, store, { title: 'Plain Stool' });
    expect(await search(store, 'oak')).toEqual(['Oak Table', 'Shelf', 'Garden Chair']);
    // Another sort key orders the same matches its own way.
    expect(await search(store, 'oak', { sortKey: 'TITLE' })).toEqual(['Garden Chair', 'Oak Table', 'Shelf']);
  });

  it("storefronts never find draft, archived or another store's products; staff find their store's in every status", async () => {
    const store = await createStore(graph.client);
    const other = await createStore(graph.client);
    const word = `zq${unique('w').slice(2, 8)}`;
    await createProduct(graph.client, store, { title: `${word} active` });
    await createProduct(graph.client, store, { title: `${word} draft`, status: 'DRAFT' });
    await createProduct(graph.client, store, { title: `${word} archived`, status: 'ARCHIVED' });
    await createProduct(graph.client, other, { title: `${word} elsewhere` });
    expect(await search(store, word)).toEqual([`${word} active`]);
    expect((await search(store, word, { token: store.owner.accessToken })).sort()).toEqual([
      `${word} active`,
      `${word} archived`,
      `${word} draft`,
    ]);
    expect(await search(other, word)).toEqual([`${word} elsewhere`]);
  });

  it('counts the matches in totalCount', async () => {
    const store = await createStore(graph.client);
    for (const title of ['Red Mug', 'Red Cup', 'Blue Mug']) await createProduct(graph.client, store, { title });
    const data = await graph.client.data(SEARCH, { query: 'red', sortKey: 'RELEVANCE' }, asOwner(store));
    expect(data.store.products.totalCount).toBe(2);
  });
});
