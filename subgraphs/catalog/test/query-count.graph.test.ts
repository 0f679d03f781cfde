import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStatementCount } from '@commerce/database';
import {
  createProduct,
  createStore,
  keyOf,
  ownerPrisma,
  QUIET_RELAY,
  startTestGraph,
  type TestGraph,
} from '@commerce/testkit';
import { createCategory, insertProducts } from '@commerce/testkit/catalog-kit';
import { asOwner, succeed } from '@commerce/testkit/store-kit';
import { insertCustomer } from '@commerce/testkit/checkout-kit';
import { defineMetafield, setMetafields } from '@commerce/testkit/metafield-kit';
import { REVIEW_CREATE, setReviewSettings } from '@commerce/testkit/review-kit';

let graph: TestGraph;
beforeAll(async () => {
  // Statements are counted process-wide: the gateway's outbox relay must not poll meanwhile (woken by
  // commits, it works on a connection of its own, which the counts leave out).
  // A page of 50 products with ten variants each costs more than one operation may (GRAPHQL_MAX_COST).
  graph = await startTestGraph({ realtime: QUIET_RELAY, queryCost: { maxCost: 10_000 } });
});
afterAll(() => graph.close());

const PRODUCT_FIELDS = `
  id title handle
  priceRange { minVariantPrice { amount currencyCode } }
  variants(first: 10) { edges { node { id price { amount } inventory { available } } } }
  images { url altText }
  options { name values }
  categories { name }
  totalInventory
  rating { average count distribution { rating count } }`;
const QUERY = `query ($n: Int) { store { products(first: $n) { edges { node { ${PRODUCT_FIELDS} } } } } }`;
const BY_HANDLE = `query ($handle: String!) { store { product(handle: $handle) { ${PRODUCT_FIELDS} } } }`;

interface ProductNode {
  id: string;
  handle: string;
  rating: { average: number | null; count: number } | null;
  variants: { edges: { node: { id: string; price: { amount: string }; inventory: { available: number } } }[] };
  images: { url: string }[];
  categories: { name: string }[];
}

describe('SQL statements per storefront read', () => {
  it('are three for a listing whatever its size, with ratings, and three for a product page', async () => {
    const store = await createStore(graph.client);
    await setReviewSettings(graph.client, store, { reviewsEnabled: true });
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
      keyOf(store.id),
      Array.from({ length: 50 }, (_, i) => ({
        title: `Bulk ${i}`,
        prices: ['5.00', '7.50'],
        images: 2,
        categoryId: keyOf(category.id),
      })),
    );

    const counted = async <T>(read: () => Promise<T>) => {
      const before = processStatementCount.value;
      const result = await read();
      return { result, statements: processStatementCount.value - before };
    };
    const run = async (n: number) => {
      const { result, statements } = await counted(() => graph.client.data(QUERY, { n }, { store: store.slug }));
      return {
        statements,
        nodes: result.store.products.edges.map((edge: { node: ProductNode }) => edge.node) as ProductNode[],
      };
    };
    // Three products of the first page get two reviews each: 5 and 1, 5 and 2, 5 and 3 stars.
    const { nodes: listed } = await run(24);
    for (const [i, product] of listed.slice(0, 3).entries()) {
      for (const rating of [5, i + 1]) {
        const customer = await insertCustomer(owner, store);
        await graph.client.data(
          REVIEW_CREATE,
          { input: { productId: product.id, rating, title: 'Fine', body: 'Fine.' } },
          { token: customer.accessToken, store: store.slug },
        );
      }
    }
    await owner.$disconnect();
    // The first request of a store resolves X-Store from the database; later ones from the cache.
    await run(5);
    const five = await run(5);
    const page = await run(24);
    const fifty = await run(50);

    expect(five.nodes).toHaveLength(5);
    expect(fifty.nodes).toHaveLength(50);
    for (const node of fifty.nodes) {
      expect(node.variants.edges.length).toBeGreaterThanOrEqual(2);
      expect(node.images).toHaveLength(2);
      expect(node.categories).toEqual([{ name: 'Everything' }]);
    }
    const created = fifty.nodes.find((node) => node.variants.edges.some((edge) => edge.node.inventory.available === 2));
    expect(created).toBeDefined();
    // The store's id comes from the request; the catalog reads the page with its variants, stock,
    // images, options and categories in one statement: the tenant scope, SELECT, COMMIT.
    expect(five.statements).toBe(3);
    expect(fifty.statements).toBe(3);
    // Ratings are columns of the product row, and the store's review setting a column of the same
    // SELECT: a page of 24 products with ratings is still one statement.
    expect(page.statements).toBe(3);
    expect(page.nodes.filter((node) => (node.rating?.count ?? 0) > 0).map((node) => node.rating)).toEqual([
      { average: 3, count: 2, distribution: expect.any(Array) },
      { average: 3.5, count: 2, distribution: expect.any(Array) },
      { average: 4, count: 2, distribution: expect.any(Array) },
    ]);

    const single = await counted(() =>
      graph.client.data(BY_HANDLE, { handle: created?.handle }, { store: store.slug }),
    );
    expect(single.result.store.product).toEqual(created);
    expect(single.statements).toBe(3);
  });

  it('are six more in a presentment currency whatever the size of the listing, none more in the store currency', async () => {
    const store = await createStore(graph.client);
    await succeed(
      graph.client,
      'storeCurrenciesUpdate',
      { currencies: [{ currencyCode: 'USD', rate: '1.1' }] },
      asOwner(store),
    );
    const owner = ownerPrisma();
    await insertProducts(
      owner,
      keyOf(store.id),
      Array.from({ length: 30 }, (_, i) => ({ title: `Priced ${i}`, prices: ['5.00', '7.50'], images: 1 })),
    );
    await owner.$disconnect();
    const run = async (n: number, currency: string | null) => {
      const before = processStatementCount.value;
      const data = await graph.client.data(
        QUERY,
        { n },
        { store: store.slug, headers: currency ? { 'x-currency': currency } : {} },
      );
      const prices = data.store.products.edges.flatMap((edge: { node: ProductNode }) =>
        edge.node.variants.edges.map((variant) => variant.node.price.amount),
      );
      return { statements: processStatementCount.value - before, prices };
    };
    await run(5, null);
    const [five, thirty] = [await run(5, null), await run(30, null)];
    const [fiveUsd, thirtyUsd] = [await run(5, 'USD'), await run(30, 'USD')];
    expect(thirtyUsd.prices).toHaveLength(60);
    expect(new Set(thirtyUsd.prices)).toEqual(new Set(['5.50', '8.25']));
    // Two reads more, each a tenant transaction (scope, SELECT, COMMIT): the currency (once per
    // request), then the page's fixed prices (one batch).
    expect(fiveUsd.statements).toBe(five.statements + 6);
    expect(thirtyUsd.statements).toBe(thirty.statements + 6);
    expect(thirty.statements).toBe(five.statements);
  });

  it('are three for a listing with custom fields, whatever its size; a hidden field stays hidden', async () => {
    const store = await createStore(graph.client);
    await defineMetafield(graph.client, store, {
      ownerType: 'PRODUCT',
      namespace: 'specs',
      key: 'material',
      type: 'SINGLE_LINE_TEXT',
    });
    await defineMetafield(graph.client, store, {
      ownerType: 'PRODUCT',
      namespace: 'internal',
      key: 'supplier',
      type: 'SINGLE_LINE_TEXT',
      visibleToStorefront: false,
    });
    const owner = ownerPrisma();
    await insertProducts(
      owner,
      keyOf(store.id),
      Array.from({ length: 30 }, (_, i) => ({ title: `Bulk ${i}`, prices: ['5.00'], images: 0 })),
    );
    await owner.$disconnect();
    const listed = await graph.client.data(
      `{ store { products(first: 30) { nodes { id } } } }`,
      {},
      { token: store.owner.accessToken, store: store.slug },
    );
    const ids: string[] = listed.store.products.nodes.map((node: { id: string }) => node.id);
    for (let start = 0; start < ids.length; start += 10) {
      const batch = ids.slice(start, start + 10);
      const set = await setMetafields(
        graph.client,
        store,
        batch.flatMap((ownerId) => [
          { ownerId, namespace: 'specs', key: 'material', value: 'Linen' },
          { ownerId, namespace: 'internal', key: 'supplier', value: 'Acme' },
        ]),
      );
      expect(set.userErrors).toEqual([]);
    }
    const query = `query ($n: Int) { store { products(first: $n) { nodes {
      id material: metafield(namespace: "specs", key: "material") { value }
      metafields(first: 5) { nodes { namespace key value } } } } } }`;
    const run = async (n: number) => {
      const before = processStatementCount.value;
      const data = await graph.client.data(query, { n }, { store: store.slug });
      return { statements: processStatementCount.value - before, nodes: data.store.products.nodes };
    };
    await run(5);
    const five = await run(5);
    const thirty = await run(30);
    expect(thirty.nodes).toHaveLength(30);
    for (const node of thirty.nodes) {
      expect(node.material).toEqual({ value: 'Linen' });
      expect(node.metafields.nodes).toEqual([{ namespace: 'specs', key: 'material', value: 'Linen' }]);
    }
    // The values are a JSON column of the page's SELECT: the tenant scope, SELECT, COMMIT.
    expect(five.statements).toBe(3);
    expect(thirty.statements).toBe(3);
  });
});
