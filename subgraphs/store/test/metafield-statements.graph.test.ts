// SQL statements of custom-field writes and reads: fixed, whatever the number of values or owners.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStatementCount } from '@commerce/database';
import {
  createProduct,
  createStore,
  insertOrder,
  ownerPrisma,
  signUpCustomer,
  QUIET_RELAY,
  startTestGraph,
  type TestGraph,
  type TestProduct,
} from '@commerce/testkit';
import { defineMetafield, setMetafields } from '@commerce/testkit/metafield-kit';

let graph: TestGraph;
beforeAll(async () => {
  // Statements are counted process-wide: the relay must not poll meanwhile.
  graph = await startTestGraph({ realtime: QUIET_RELAY });
});
afterAll(() => graph.close());

async function counted<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const before = processStatementCount.value;
  const result = await work();
  return { result, statements: processStatementCount.value - before };
}

describe('SQL statements of custom fields', () => {
  it('are as many for a metafieldsSet of 24 values as for one', async () => {
    const store = await createStore(graph.client);
    await defineMetafield(graph.client, store, {
      ownerType: 'PRODUCT',
      namespace: 'specs',
      key: 'pieces',
      type: 'INTEGER',
    });
    await defineMetafield(graph.client, store, {
      ownerType: 'PRODUCT',
      namespace: 'specs',
      key: 'related',
      type: 'PRODUCT_REFERENCE',
    });
    const products: TestProduct[] = [];
    for (let i = 0; i < 12; i += 1) products.push(await createProduct(graph.client, store));
    const entries = (value: number) =>
      products.flatMap((product, i) => [
        { ownerId: product.id, namespace: 'specs', key: 'pieces', value: String(value + i) },
        {
          ownerId: product.id,
          namespace: 'specs',
          key: 'related',
          value: products[(i + 1) % products.length]?.id ?? '',
        },
      ]);
    await setMetafields(graph.client, store, entries(0).slice(0, 1));
    const one = await counted(() => setMetafields(graph.client, store, entries(1).slice(0, 1)));
    const many = await counted(() => setMetafields(graph.client, store, entries(2)));
    expect(one.result.userErrors).toEqual([]);
    expect(many.result.userErrors).toEqual([]);
    expect(many.result.metafields).toHaveLength(24);
    expect(many.statements).toBe(one.statements);
    // The caller's role (scope, SELECT, COMMIT), then one transaction: scope, the definitions, the
    // owners and references, the INSERT, the products' events, COMMIT.
    expect(one.statements).toBe(9);
  });

  it('add one batch for the variants of a listing, whatever its size', async () => {
    const store = await createStore(graph.client);
    await defineMetafield(graph.client, store, {
      ownerType: 'PRODUCT_VARIANT',
      namespace: 'specs',
      key: 'fit',
      type: 'SINGLE_LINE_TEXT',
    });
    const products: TestProduct[] = [];
    for (let i = 0; i < 8; i += 1) products.push(await createProduct(graph.client, store, { title: `P${i}` }));
    const set = await setMetafields(
      graph.client,
      store,
      products.map((product) => ({
        ownerId: product.variants[0]?.id ?? '',
        namespace: 'specs',
        key: 'fit',
        value: 'Slim',
      })),
    );
    expect(set.userErrors).toEqual([]);
    const query = `query ($n: Int) { store { products(first: $n) { nodes { title
      variants(first: 5) { nodes { fit: metafield(namespace: "specs", key: "fit") { value } } } } } } }`;
    const run = (n: number) => counted(() => graph.client.data(query, { n }, { store: store.slug }));
    await run(2);
    const two = await run(2);
    const eight = await run(8);
    expect(eight.result.store.products.nodes).toHaveLength(8);
    for (const node of eight.result.store.products.nodes)
      expect(node.variants.nodes).toEqual([{ fit: { value: 'Slim' } }]);
    expect(eight.statements).toBe(two.statements);
    // The listing's three, and the variants' values in one statement of one more read.
    expect(eight.statements).toBe(6);
  });

  it("add one batch each for a page of customers' and of orders' values, whatever its size", async () => {
    const store = await createStore(graph.client);
    for (const ownerType of ['CUSTOMER', 'ORDER']) {
      await defineMetafield(graph.client, store, {
        ownerType,
        namespace: 'crm',
        key: 'segment',
        type: 'SINGLE_LINE_TEXT',
      });
    }
    const owner = ownerPrisma();
    const owners: string[] = [];
    try {
      for (let i = 0; i < 6; i += 1) {
        owners.push((await signUpCustomer(graph.client, store)).id);
        owners.push((await insertOrder(owner, store)).id);
      }
    } finally {
      await owner.$disconnect();
    }
    const set = await setMetafields(
      graph.client,
      store,
      owners.map((ownerId) => ({ ownerId, namespace: 'crm', key: 'segment', value: 'VIP' })),
    );
    expect(set.userErrors).toEqual([]);
    const query = `query ($n: Int) { store {
      customers(first: $n) { nodes { segment: metafield(namespace: "crm", key: "segment") { value } } }
      orders(first: $n) { nodes { metafields(first: 3) { nodes { value } } } } } }`;
    const staff = { token: store.owner.accessToken, store: store.slug };
    const run = (n: number) => counted(() => graph.client.data(query, { n }, staff));
    await run(2);
    const two = await run(2);
    const six = await run(6);
    expect(six.result.store.customers.nodes).toEqual(Array(6).fill({ segment: { value: 'VIP' } }));
    expect(six.result.store.orders.nodes).toEqual(Array(6).fill({ metafields: { nodes: [{ value: 'VIP' }] } }));
    expect(six.statements).toBe(two.statements);
  });
});
