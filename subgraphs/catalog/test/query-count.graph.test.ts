import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStatementCount } from '@commerce/database';
import { createStore, ownerPrisma, startTestGraph, type TestGraph } from '@commerce/testkit';
import { createCategory, createProduct, insertProducts, QUIET_RELAY, rawKey } from './catalog-kit.js';

let graph: TestGraph;
beforeAll(async () => {
  // Statements are counted process-wide: the gateway's outbox relay must not poll or wake meanwhile.
  graph = await startTestGraph({ realtime: QUIET_RELAY });
});
afterAll(() => graph.close());

const QUERY = `query ($n: Int) { store { products(first: $n) { edges { node {
  variants(first: 10) { edges { node { id price { amount } } } }
  images { url }
  categories { name }
} } } } }`;

interface ProductNode {
  variants: { edges: { node: { id: string; price: { amount: string } } }[] };
  images: { url: string }[];
  categories: { name: string }[];
}

describe('SQL statements per product listing', () => {
  it('are as many for 50 products as for 5, and few', async () => {
    const store = await createStore(graph.client);
    const category = await createCategory(graph.client, store, { name: 'Everything' });
    for (let i = 0; i < 3; i += 1) {
      await createProduct(graph.client, store, {
        categoryIds: [category.id],
        options: [{ name: 'Size', values: ['S', 'M'] }],
        variants: [
          { price: '10.00', options: [{ name: 'Size', value: 'S' }], inventoryQuantity: 2 },
          { price: '12.00', options: [{ name: 'Size', value: 'M' }], inventoryQuantity: 2 },
        ],
        images: [{ url: 'https://img.example.com/1.jpg' }, { url: 'https://img.example.com/2.jpg' }],
      });
    }
    const owner = ownerPrisma();
    await insertProducts(
      owner,
      rawKey(store.id),
      Array.from({ length: 50 }, (_, i) => ({ title: `Bulk ${i}`, prices: ['5.00', '7.50'], images: 2, categoryId: rawKey(category.id) })),
    );
    await owner.$disconnect();

    const run = async (n: number) => {
      const before = processStatementCount.value;
      const data = await graph.client.data(QUERY, { n }, { store: store.slug });
      return { statements: processStatementCount.value - before, nodes: data.store.products.edges.map((edge: { node: ProductNode }) => edge.node) as ProductNode[] };
    };
    // The first request of a store resolves X-Store from the database; later ones from the cache.
    await run(5);
    const five = await run(5);
    const fifty = await run(50);

    expect(five.nodes).toHaveLength(5);
    expect(fifty.nodes).toHaveLength(50);
    for (const node of fifty.nodes) {
      expect(node.variants.edges.length).toBeGreaterThanOrEqual(2);
      expect(node.images).toHaveLength(2);
      expect(node.categories).toEqual([{ name: 'Everything' }]);
    }
    expect(fifty.statements).toBe(five.statements);
    // Store (set_config, SELECT, COMMIT) + product page (3) + variants, images and categories in one transaction (5).
    expect(fifty.statements).toBeLessThanOrEqual(12);
  });
});
