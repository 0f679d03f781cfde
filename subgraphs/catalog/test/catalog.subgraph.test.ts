import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@commerce/database';
import {
  appDatabase,
  createProduct,
  createStore,
  executeSubgraph,
  sharedTestGraph,
  type SharedTestGraph,
} from '@commerce/testkit';
import { catalogSubgraph } from '../src/server.js';

let graph: SharedTestGraph;
let database: Database;
beforeAll(async () => {
  graph = await sharedTestGraph();
  database = appDatabase();
});
afterAll(async () => {
  await database.disconnect();
  await graph.close();
});

// What the gateway sends the catalog for `{ store { products { … } } }`: the Store entity by reference.
const STORE_PRODUCTS = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Store { id products(first: 10, sortKey: PRICE) { nodes { title priceRange { minVariantPrice { amount currencyCode } } } } }
  }
}`;

describe('the catalog subgraph in-process', () => {
  it("resolves a Store reference's products for the request's store", async () => {
    const store = await createStore(graph.client, { currencyCode: 'JPY' });
    await createProduct(graph.client, store, { title: 'Teapot', variants: [{ price: '4200' }] });
    await createProduct(graph.client, store, { title: 'Cup', variants: [{ price: '800' }] });
    const result = await executeSubgraph(
      catalogSubgraph,
      database,
      STORE_PRODUCTS,
      { representations: [{ __typename: 'Store', id: store.id }] },
      { store: store.slug },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([
      {
        id: store.id,
        products: {
          nodes: [
            { title: 'Cup', priceRange: { minVariantPrice: { amount: '800', currencyCode: 'JPY' } } },
            { title: 'Teapot', priceRange: { minVariantPrice: { amount: '4200', currencyCode: 'JPY' } } },
          ],
        },
      },
    ]);
  });

  it('refuses a Store reference to another store than the request names', async () => {
    const store = await createStore(graph.client);
    const other = await createStore(graph.client);
    const result = await executeSubgraph(
      catalogSubgraph,
      database,
      STORE_PRODUCTS,
      { representations: [{ __typename: 'Store', id: other.id }] },
      { store: store.slug },
    );
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
  });
});
