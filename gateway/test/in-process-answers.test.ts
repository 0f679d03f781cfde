import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProduct, createStore, startTestGraph, type TestGraph, type TestStore } from '@commerce/testkit';
import { toGlobalId } from '@commerce/graphql-kit';

// The all-in-one gateway hands each subgraph request to the subgraph's server in memory: clients
// must get the very bytes that a gateway calling its subgraphs over HTTP sends, errors included.
describe('answers of a gateway calling its subgraphs in process', () => {
  let http: TestGraph;
  let inProcess: TestGraph;
  let store: TestStore;
  let handle: string;
  let productId: string;
  beforeAll(async () => {
    [http, inProcess] = await Promise.all([
      startTestGraph({ subgraphTransport: 'http' }),
      startTestGraph({ subgraphTransport: 'in-process' }),
    ]);
    store = await createStore(http.client);
    for (const title of ['Linen Shirt', 'Merino Scarf', 'Canvas Bag']) {
      const product = await createProduct(http.client, store, {
        title,
        images: [{ url: `https://images.example/${title.replace(' ', '-')}.jpg`, altText: title }],
        variants: [{ price: '19.90' }],
      });
      handle = product.handle;
      productId = product.id;
    }
  });
  afterAll(async () => {
    await Promise.all([http.close(), inProcess.close()]);
  });

  /** The status, content type and body text of the same request to a graph. */
  async function send(graph: TestGraph, query: string, variables: Record<string, unknown>, token?: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-store': store.slug };
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(graph.graph.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
  }

  const LISTING = `query Listing($after: String) { store { products(first: 24, after: $after, sortKey: CREATED_AT) {
    edges { cursor node { id title handle priceRange { minVariantPrice { amount currencyCode } } images { url altText }
      variants(first: 10) { edges { node { id title price { amount currencyCode } inventory { available } } } } } }
    pageInfo { hasNextPage endCursor } } } }`;
  const PRODUCT = `query Product($handle: String!) { store { product(handle: $handle) { id title description
    options { name values } images { url } variants(first: 10) { edges { node { id sku price { amount } inventory { available } } } } } } }`;
  const SEARCH = `query Search($query: String!) { store { products(first: 24, filter: { query: $query }) {
    edges { node { id title handle priceRange { minVariantPrice { amount } } } } } } }`;
  const CREATE = `mutation Create($input: ProductCreateInput!) { productCreate(input: $input) {
    product { id } userErrors { field message code } } }`;
  const UPDATE = `mutation Update($input: ProductUpdateInput!) { productUpdate(input: $input) {
    product { id title handle status } userErrors { field message code } } }`;

  it('are the same bytes as over HTTP: data, userErrors and GraphQL errors', async () => {
    const cases: Array<{ query: string; variables: Record<string, unknown>; owner?: boolean }> = [
      { query: LISTING, variables: {} },
      { query: PRODUCT, variables: { handle } },
      { query: SEARCH, variables: { query: 'merino' } },
      // A userError: the handle is taken.
      { query: CREATE, variables: { input: { title: 'Another', handle, variants: [{ price: '1.00' }] } }, owner: true },
      // GraphQL errors of a subgraph: a cursor that is not one, a product the store does not have, no access.
      { query: LISTING, variables: { after: 'not-a-cursor' } },
      {
        query: UPDATE,
        variables: { input: { id: toGlobalId('Product', '00000000-0000-4000-8000-000000000000'), title: 'Gone' } },
        owner: true,
      },
      { query: UPDATE, variables: { input: { id: productId, title: 'Renamed' } } },
      // A mutation that succeeds, with the same answer each time.
      { query: UPDATE, variables: { input: { id: productId, title: 'Renamed' } }, owner: true },
    ];
    const bodies: string[] = [];
    for (const { query, variables, owner } of cases) {
      const token = owner ? store.owner.accessToken : undefined;
      const overHttp = await send(http, query, variables, token);
      const inMemory = await send(inProcess, query, variables, token);
      expect(inMemory, query).toEqual(overHttp);
      bodies.push(inMemory.body);
    }
    // The cases do answer what they are meant to.
    expect(bodies[0]).toContain('"inventory":{"available"');
    expect(bodies[2]).toContain('Merino Scarf');
    expect(bodies[3]).toContain('"userErrors":[{');
    expect(bodies[4]).toContain('"errors":[{');
    expect(bodies[5]).toContain('"code":"NOT_FOUND"');
    expect(bodies[6]).toContain('"errors":[{');
    expect(bodies[7]).toContain('"title":"Renamed"');
  });
});
