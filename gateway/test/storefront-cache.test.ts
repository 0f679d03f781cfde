import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStatementCount, type PrismaClient } from '@commerce/database';
import {
  createProduct,
  createStore,
  eventually,
  keyOf,
  ownerPrisma,
  startTestGraph,
  type TestGraph,
  type TestStore,
} from '@commerce/testkit';

let graph: TestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  graph = await startTestGraph({ storefrontCache: true });
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

const LISTING = `{ store { slug products(first: 5) { edges { node { title variants(first: 5) { edges { node { price { amount } } } } } } } } }`;

async function storeWithProduct(title: string): Promise<TestStore> {
  const store = await createStore(graph.client);
  await createProduct(graph.client, store, { title, variants: [{ price: '10.00', sku: `${store.slug}-sku` }] });
  return store;
}

/** Runs a request and reports how many SQL statements it cost. */
async function measured(run: () => Promise<unknown>): Promise<{ statements: number; result: unknown }> {
  const before = processStatementCount.value;
  const result = await run();
  return { statements: processStatementCount.value - before, result };
}

describe('the storefront response cache', () => {
  it('answers a repeated anonymous query without touching the database', async () => {
    const store = await storeWithProduct('Cached Shirt');
    const first = await measured(() => graph.client.data(LISTING, {}, { store: store.slug }));
    const second = await measured(() => graph.client.data(LISTING, {}, { store: store.slug }));
    expect(second.result).toEqual(first.result);
    expect(first.statements).toBeGreaterThan(0);
    expect(second.statements).toBe(0);
  });

  it('drops a store’s answers when a price changes, so the next read shows the new price', async () => {
    const store = await storeWithProduct('Repriced Shirt');
    const price = async () => {
      const data = await graph.client.data(LISTING, {}, { store: store.slug });
      return data.store.products.edges[0].node.variants.edges[0].node.price.amount as string;
    };
    expect(await price()).toBe('10.00');
    expect(await price()).toBe('10.00');
    await owner.productVariant.updateMany({ where: { storeId: keyOf(store.id) }, data: { price: '12.50' } });
    await eventually('the new price', async () => (await price()) === '12.50', 5_000);
    expect(await price()).toBe('12.50');
  });

  it('keeps stores apart and never caches requests with credentials', async () => {
    const [a, b] = [await storeWithProduct('Shirt of A'), await storeWithProduct('Shirt of B')];
    const titles = async (store: TestStore) =>
      (await graph.client.data(LISTING, {}, { store: store.slug })).store.products.edges.map(
        (edge: { node: { title: string } }) => edge.node.title,
      );
    expect(await titles(a)).toEqual(['Shirt of A']);
    expect(await titles(b)).toEqual(['Shirt of B']);

    const asStaff = () => graph.client.data(LISTING, {}, { store: a.slug, token: a.owner.accessToken });
    await asStaff();
    expect((await measured(asStaff)).statements).toBeGreaterThan(0);
  });
});
