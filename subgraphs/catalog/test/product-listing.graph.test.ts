import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStatementCount, type PrismaClient } from '@commerce/database';
import {
  addStaffMember,
  createProduct,
  createStore,
  errorCodes,
  ownerPrisma,
  QUIET_RELAY,
  startTestGraph,
  unique,
  type TestGraph,
  type TestStore,
} from '@commerce/testkit';
import { toGlobalId } from '@commerce/graphql-kit';
import { createCategory } from '@commerce/testkit/catalog-kit';

let graph: TestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  // Statements are counted process-wide: the gateway's outbox relay must not poll or wake meanwhile.
  graph = await startTestGraph({ realtime: QUIET_RELAY });
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

const LIST = `query ($filter: ProductFilter, $first: Int) { store { products(first: $first, filter: $filter) { nodes { id title } } } }`;

/** Titles of the products a caller sees with this filter, sorted. */
async function titles(store: TestStore, filter: Record<string, unknown> | null, token?: string): Promise<string[]> {
  const data = await graph.client.data(LIST, { filter, first: 100 }, { store: store.slug, token });
  return data.store.products.nodes.map((node: { title: string }) => node.title).sort();
}

const ONE = `query ($id: ID, $handle: String) { store { product(id: $id, handle: $handle) { id title } } }`;

describe('who sees which products', () => {
  it('storefronts see only ACTIVE products; staff who may read products see every status', async () => {
    const store = await createStore(graph.client);
    await createProduct(graph.client, store, { title: 'Active', status: 'ACTIVE' });
    const draft = await createProduct(graph.client, store, { title: 'Draft', status: 'DRAFT' });
    await createProduct(graph.client, store, { title: 'Archived', status: 'ARCHIVED' });
    const staff = await addStaffMember(graph.client, owner, store, 'STAFF');

    expect(await titles(store, null)).toEqual(['Active']);
    expect(await titles(store, { status: 'DRAFT' })).toEqual([]);
    expect(await titles(store, { status: 'ACTIVE' })).toEqual(['Active']);
    expect(await titles(store, null, store.owner.accessToken)).toEqual(['Active', 'Archived', 'Draft']);
    expect(await titles(store, null, staff.accessToken)).toEqual(['Active', 'Archived', 'Draft']);
    expect(await titles(store, { status: 'DRAFT' }, staff.accessToken)).toEqual(['Draft']);
    // A seller of another store is a storefront visitor here.
    const stranger = await createStore(graph.client);
    expect(await titles(store, null, stranger.owner.accessToken)).toEqual(['Active']);

    for (const args of [{ id: draft.id }, { handle: draft.handle }]) {
      expect((await graph.client.data(ONE, args, { store: store.slug })).store.product).toBeNull();
      expect(
        (await graph.client.data(ONE, args, { store: store.slug, token: staff.accessToken })).store.product,
      ).toEqual({ id: draft.id, title: 'Draft' });
    }
    const variantId = draft.variants[0]?.id;
    // The selection needs the catalog, which applies its rules (an id alone is answered without it).
    const node = `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Product { title } ... on ProductVariant { title } } }`;
    expect((await graph.client.data(node, { ids: [draft.id, variantId] }, { store: store.slug })).nodes).toEqual([
      null,
      null,
    ]);
    expect(
      (await graph.client.data(node, { ids: [draft.id, variantId] }, { store: store.slug, token: staff.accessToken }))
        .nodes,
    ).toEqual([{ title: 'Draft' }, { title: 'Default' }]);
  });

  it("another store's product is invisible by id, by handle, through node and in listings", async () => {
    const mine = await createStore(graph.client);
    const theirs = await createStore(graph.client);
    const handle = unique('secret');
    const foreign = await createProduct(graph.client, theirs, { title: 'Theirs', handle });
    await createProduct(graph.client, mine, { title: 'Mine' });
    const asOwner = { store: mine.slug, token: mine.owner.accessToken };

    expect((await graph.client.data(ONE, { id: foreign.id }, asOwner)).store.product).toBeNull();
    expect((await graph.client.data(ONE, { handle }, asOwner)).store.product).toBeNull();
    expect(await titles(mine, null, mine.owner.accessToken)).toEqual(['Mine']);
    const node = await graph.client.data(
      `query ($id: ID!) { node(id: $id) { id ... on Product { title } } }`,
      { id: foreign.id },
      asOwner,
    );
    expect(node.node).toBeNull();
    const variant = await graph.client.data(
      `query ($id: ID!) { node(id: $id) { id ... on ProductVariant { title } } }`,
      { id: foreign.variants[0]?.id },
      asOwner,
    );
    expect(variant.node).toBeNull();
  });

  it('node(id:) resolves a product and a variant through the gateway', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, {
      title: 'Lamp',
      variants: [{ sku: unique('LAMP'), price: '19.99' }],
    });
    const variantId = product.variants[0]?.id;
    const data = await graph.client.data(
      `query ($product: ID!, $variant: ID!) {
        product: node(id: $product) { id ... on Product { title handle priceRange { minVariantPrice { amount currencyCode } } } }
        variant: node(id: $variant) { id ... on ProductVariant { price { amount } product { title } } }
      }`,
      { product: product.id, variant: variantId },
      { store: store.slug },
    );
    expect(data).toEqual({
      product: {
        id: product.id,
        title: 'Lamp',
        handle: product.handle,
        priceRange: { minVariantPrice: { amount: '19.99', currencyCode: 'EUR' } },
      },
      variant: { id: variantId, price: { amount: '19.99' }, product: { title: 'Lamp' } },
    });
  });
});

describe('Store.product', () => {
  it('finds a product by handle or id, and needs exactly one of them', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, { title: 'Kettle' });
    expect((await graph.client.data(ONE, { handle: product.handle }, { store: store.slug })).store.product).toEqual({
      id: product.id,
      title: 'Kettle',
    });
    expect((await graph.client.data(ONE, { id: product.id }, { store: store.slug })).store.product).toEqual({
      id: product.id,
      title: 'Kettle',
    });
    expect(
      (await graph.client.data(ONE, { handle: 'no-such-handle' }, { store: store.slug })).store.product,
    ).toBeNull();
    for (const args of [{}, { id: product.id, handle: product.handle }, { id: store.id }]) {
      expect(errorCodes(await graph.client.execute(ONE, args, { store: store.slug }))).toEqual(['BAD_USER_INPUT']);
    }
  });
});

describe('Store.products filters', () => {
  it('filters by query, category, price range, availability and tag', async () => {
    const store = await createStore(graph.client);
    const lamps = await createCategory(graph.client, store, { name: 'Lamps' });
    await createProduct(graph.client, store, {
      title: 'Desk Lamp',
      tags: ['office'],
      categoryIds: [lamps.id],
      variants: [{ sku: 'LAMP-1', price: '19.99', inventoryQuantity: 4 }],
    });
    await createProduct(graph.client, store, {
      title: 'Floor lamp',
      categoryIds: [lamps.id],
      options: [{ name: 'Height', values: ['Low', 'High'] }],
      variants: [
        { price: '5.00', options: [{ name: 'Height', value: 'Low' }], inventoryQuantity: 0 },
        { price: '50.00', options: [{ name: 'Height', value: 'High' }], inventoryQuantity: 0 },
      ],
    });
    await createProduct(graph.client, store, {
      title: 'Gift card',
      tags: ['digital', 'office'],
      variants: [{ sku: 'GIFT', price: '25.00', trackInventory: false }],
    });
    await createProduct(graph.client, store, { title: 'Chair', variants: [{ sku: 'CHAIR-1', price: '120.00' }] });
    await createProduct(graph.client, store, {
      title: '50% off_bundle',
      status: 'DRAFT',
      variants: [{ price: '1.00' }],
    });
    const staffToken = store.owner.accessToken;

    expect(await titles(store, { query: 'LAMP' })).toEqual(['Desk Lamp', 'Floor lamp']);
    // SKUs are searched like words: whole, or by their start.
    expect(await titles(store, { query: 'CHAIR-1' })).toEqual(['Chair']);
    expect(await titles(store, { query: 'lamp-1' })).toEqual(['Desk Lamp']);
    // Every word has to match.
    expect(await titles(store, { query: 'floor lamp' })).toEqual(['Floor lamp']);
    expect(await titles(store, { categoryId: lamps.id })).toEqual(['Desk Lamp', 'Floor lamp']);
    expect(await titles(store, { categoryId: toGlobalId('Category', '00000000-0000-4000-8000-000000000000') })).toEqual(
      [],
    );
    expect(await titles(store, { priceMin: '19.99', priceMax: '25' })).toEqual(['Desk Lamp', 'Gift card']);
    // Floor lamp has a variant below 10 and one above 40, but none between.
    expect(await titles(store, { priceMin: '10', priceMax: '40' })).toEqual(['Desk Lamp', 'Gift card']);
    expect(await titles(store, { priceMin: '100' })).toEqual(['Chair']);
    expect(await titles(store, { priceMax: '5' })).toEqual(['Floor lamp']);
    expect(await titles(store, { available: true })).toEqual(['Desk Lamp', 'Gift card']);
    expect(await titles(store, { available: false })).toEqual(['Chair', 'Floor lamp']);
    expect(await titles(store, { tag: 'office' })).toEqual(['Desk Lamp', 'Gift card']);
    expect(await titles(store, { tag: 'office', query: 'gift', available: true })).toEqual(['Gift card']);
    // Punctuation is no search syntax: text without words matches nothing, words are found around it.
    expect(await titles(store, { query: '%' }, staffToken)).toEqual([]);
    expect(await titles(store, { query: "off_b & (50% | !'x" }, staffToken)).toEqual([]);
    expect(await titles(store, { query: '50% off' }, staffToken)).toEqual(['50% off_bundle']);
    expect(await titles(store, { query: 'C_air' }, staffToken)).toEqual([]);
  });

  it('a malformed category id in a filter is BAD_USER_INPUT', async () => {
    const store = await createStore(graph.client);
    const response = await graph.client.execute(LIST, { filter: { categoryId: store.id } }, { store: store.slug });
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('Store.products paging arguments', () => {
  it('an invalid cursor, first: 101 or first with last are BAD_USER_INPUT', async () => {
    const store = await createStore(graph.client);
    await createProduct(graph.client, store);
    const query = `query ($first: Int, $last: Int, $after: String) { store { products(first: $first, last: $last, after: $after) { nodes { id } } } }`;
    for (const variables of [
      { first: 5, after: 'not-a-cursor' },
      { first: 101 },
      { first: -1 },
      { first: 2, last: 2 },
    ]) {
      expect(errorCodes(await graph.client.execute(query, variables, { store: store.slug }))).toEqual([
        'BAD_USER_INPUT',
      ]);
    }
    // A cursor of another order is no cursor of this one.
    const page = await graph.client.data(
      `{ store { products(first: 1, sortKey: TITLE) { edges { cursor } } } }`,
      {},
      { store: store.slug },
    );
    const cursor = page.store.products.edges[0].cursor;
    const mixed = await graph.client.execute(
      `query ($after: String) { store { products(first: 1, after: $after, sortKey: PRICE) { nodes { id } } } }`,
      { after: cursor },
      { store: store.slug },
    );
    expect(errorCodes(mixed)).toEqual(['BAD_USER_INPUT']);
  });

  it('totalCount counts every match, and is computed only when selected', async () => {
    const store = await createStore(graph.client);
    for (const title of ['a', 'b', 'c']) await createProduct(graph.client, store, { title });
    const withoutCount = `{ store { products(first: 1) { nodes { id } } } }`;
    const withCount = `{ store { products(first: 1) { nodes { id } totalCount } } }`;
    // Warm the store resolution cache so that both requests do the same work besides the count.
    await graph.client.data(withoutCount, {}, { store: store.slug });
    const before = processStatementCount.value;
    await graph.client.data(withoutCount, {}, { store: store.slug });
    const plain = processStatementCount.value - before;
    const middle = processStatementCount.value;
    const counted = await graph.client.data(withCount, {}, { store: store.slug });
    const withTotal = processStatementCount.value - middle;
    expect(counted.store.products.totalCount).toBe(3);
    // The count is one more statement in a transaction of its own: the tenant scope, SELECT count, COMMIT.
    expect(withTotal - plain).toBe(3);
  });
});
