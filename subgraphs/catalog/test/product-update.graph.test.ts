import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  addStaffMember,
  createProduct,
  createStore,
  errorCodes,
  ownerPrisma,
  sharedTestGraph,
  unique,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { toGlobalId } from '@commerce/graphql-kit';
import {
  asOwner,
  asSeller,
  createCategory,
  problem,
  PRODUCT_DELETE,
  PRODUCT_UPDATE,
} from '@commerce/testkit/catalog-kit';

let graph: SharedTestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  graph = await sharedTestGraph();
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

interface UpdatePayload {
  product: Record<string, any> | null;
  userErrors: { field: string[] | null; message: string; code: string }[];
}

async function productUpdate(store: TestStore, input: Record<string, unknown>): Promise<UpdatePayload> {
  return (await graph.client.data(PRODUCT_UPDATE, { input }, asOwner(store))).productUpdate;
}

const SHIRT = {
  title: 'Linen Shirt',
  tags: ['summer'],
  options: [{ name: 'Size', values: ['S', 'M', 'L'] }],
  variants: [
    { sku: 'S-1', price: '10.00', options: [{ name: 'Size', value: 'S' }] },
    { sku: 'M-1', price: '12.00', options: [{ name: 'Size', value: 'M' }] },
  ],
  images: [{ url: 'https://img.example.com/a.jpg', altText: 'A' }],
};

describe('productUpdate', () => {
  it('changes fields and replaces tags, categories and images; fields left out stay', async () => {
    const store = await createStore(graph.client);
    const shirts = await createCategory(graph.client, store, { name: 'Shirts' });
    const sale = await createCategory(graph.client, store, { name: 'Sale' });
    const product = await createProduct(graph.client, store, {
      ...SHIRT,
      categoryIds: [shirts.id],
      description: 'Old.',
    });
    const payload = await productUpdate(store, {
      id: product.id,
      title: ' Linen Shirt II ',
      handle: 'linen-2',
      status: 'DRAFT',
      tags: ['autumn', ' linen ', 'autumn'],
      categoryIds: [sale.id, shirts.id],
      images: [{ url: 'https://img.example.com/b.jpg', altText: 'Back' }, { url: 'https://img.example.com/c.jpg' }],
      vendor: 'Acme',
    });
    expect(payload.userErrors).toEqual([]);
    expect(payload.product).toMatchObject({
      id: product.id,
      title: 'Linen Shirt II',
      handle: 'linen-2',
      status: 'DRAFT',
      description: 'Old.',
      vendor: 'Acme',
      tags: ['autumn', 'linen'],
      categories: [{ id: sale.id }, { id: shirts.id }],
      images: [
        { url: 'https://img.example.com/b.jpg', altText: 'Back', position: 0 },
        { url: 'https://img.example.com/c.jpg', altText: '', position: 1 },
      ],
      options: [{ name: 'Size', values: ['S', 'M', 'L'] }],
    });
    expect(Date.parse(payload.product?.updatedAt)).toBeGreaterThan(Date.parse(payload.product?.createdAt));
    // The old handle no longer finds it; the new one does.
    const byHandle = `query ($handle: String) { store { product(handle: $handle) { id } } }`;
    expect((await graph.client.data(byHandle, { handle: 'linen-shirt' }, asOwner(store))).store.product).toBeNull();
    expect((await graph.client.data(byHandle, { handle: 'linen-2' }, asOwner(store))).store.product).toEqual({
      id: product.id,
    });
  });

  it('reshapes variants when options change: kept values stay, a new option gives its first value, a removed one is dropped', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, SHIRT);
    const added = await productUpdate(store, {
      id: product.id,
      options: [
        { name: 'Colour', values: ['Blue', 'Red'] },
        { name: 'Size', values: ['M', 'S'] },
      ],
    });
    expect(added.userErrors).toEqual([]);
    expect(added.product?.options).toEqual([
      { name: 'Colour', values: ['Blue', 'Red'] },
      { name: 'Size', values: ['M', 'S'] },
    ]);
    expect(
      added.product?.variants.edges.map((edge: { node: { title: string; selectedOptions: unknown } }) => [
        edge.node.title,
        edge.node.selectedOptions,
      ]),
    ).toEqual([
      [
        'Blue / S',
        [
          { name: 'Colour', value: 'Blue' },
          { name: 'Size', value: 'S' },
        ],
      ],
      [
        'Blue / M',
        [
          { name: 'Colour', value: 'Blue' },
          { name: 'Size', value: 'M' },
        ],
      ],
    ]);
    const removed = await productUpdate(store, { id: product.id, options: [{ name: 'Size', values: ['S', 'M'] }] });
    expect(removed.product?.variants.edges.map((edge: { node: { title: string } }) => edge.node.title)).toEqual([
      'S',
      'M',
    ]);
  });

  it('refuses option changes that would orphan or merge variants: IN_USE and DUPLICATE', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, SHIRT);
    const inUse = await productUpdate(store, { id: product.id, options: [{ name: 'Size', values: ['S', 'L'] }] });
    expect(inUse.product).toBeNull();
    expect(inUse.userErrors.map(problem)).toEqual(['input.options.0.values IN_USE']);
    expect(inUse.userErrors[0]?.message).toContain('"M"');
    const merged = await productUpdate(store, { id: product.id, options: [] });
    expect(merged.userErrors.map(problem)).toEqual(['input.options DUPLICATE']);
  });

  it('reports input problems with their fields: blank title, malformed or taken handle, unknown category, bad image', async () => {
    const store = await createStore(graph.client);
    const other = await createStore(graph.client);
    const foreignCategory = await createCategory(graph.client, other);
    await createProduct(graph.client, store, { title: 'Taken', handle: 'taken' });
    const product = await createProduct(graph.client, store);
    expect(
      (
        await productUpdate(store, { id: product.id, title: ' ', handle: 'Not A Handle', images: [{ url: 'ftp://x' }] })
      ).userErrors.map(problem),
    ).toEqual(['input.title BLANK', 'input.handle INVALID', 'input.images.0.url INVALID']);
    expect(
      (
        await productUpdate(store, { id: product.id, handle: 'taken', categoryIds: [foreignCategory.id] })
      ).userErrors.map(problem),
    ).toEqual(['input.handle TAKEN', 'input.categoryIds.0 NOT_FOUND']);
    // Its own handle is no clash.
    expect((await productUpdate(store, { id: product.id, handle: product.handle })).userErrors).toEqual([]);
  });

  it('an unknown product is NOT_FOUND', async () => {
    const store = await createStore(graph.client);
    const missing = toGlobalId('Product', '00000000-0000-4000-8000-000000000000');
    expect(
      errorCodes(await graph.client.execute(PRODUCT_UPDATE, { input: { id: missing, title: 'x' } }, asOwner(store))),
    ).toEqual(['NOT_FOUND']);
    expect(errorCodes(await graph.client.execute(PRODUCT_DELETE, { id: missing }, asOwner(store)))).toEqual([
      'NOT_FOUND',
    ]);
  });

  it('STAFF can read but not change products (FORBIDDEN); a MANAGER can', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, { status: 'DRAFT' });
    const staff = await addStaffMember(graph.client, owner, store, 'STAFF');
    const manager = await addStaffMember(graph.client, owner, store, 'MANAGER');
    const read = `query ($id: ID!) { store { product(id: $id) { id status } } }`;
    expect((await graph.client.data(read, { id: product.id }, asSeller(staff, store))).store.product).toEqual({
      id: product.id,
      status: 'DRAFT',
    });
    expect(
      errorCodes(
        await graph.client.execute(PRODUCT_UPDATE, { input: { id: product.id, title: 'x' } }, asSeller(staff, store)),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graph.client.execute(PRODUCT_DELETE, { id: product.id }, asSeller(staff, store)))).toEqual([
      'FORBIDDEN',
    ]);
    const managed = await graph.client.data(
      PRODUCT_UPDATE,
      { input: { id: product.id, title: 'Managed' } },
      asSeller(manager, store),
    );
    expect(managed.productUpdate.product.title).toBe('Managed');
  });
});

describe('productDelete', () => {
  it('archives the product: storefronts stop seeing it anywhere, staff still do, and it can be published again', async () => {
    const store = await createStore(graph.client);
    const category = await createCategory(graph.client, store, { name: 'Lamps' });
    const sku = unique('LAMP');
    const product = await createProduct(graph.client, store, {
      title: 'Lantern',
      categoryIds: [category.id],
      variants: [{ sku, price: '9.00' }],
    });
    const deleted = (await graph.client.data(PRODUCT_DELETE, { id: product.id }, asOwner(store))).productDelete;
    expect(deleted).toEqual({
      deletedProductId: product.id,
      product: { id: product.id, status: 'ARCHIVED' },
      userErrors: [],
    });
    // Twice is fine.
    expect(
      (await graph.client.data(PRODUCT_DELETE, { id: product.id }, asOwner(store))).productDelete.product.status,
    ).toBe('ARCHIVED');

    const visible = `query ($id: ID!, $handle: String, $category: ID!, $sku: String) { store {
      byId: product(id: $id) { id } byHandle: product(handle: $handle) { id }
      listed: products(first: 10) { nodes { id } }
      searched: products(first: 10, filter: { query: $sku }) { nodes { id } }
    } category: node(id: $category) { ... on Category { products(first: 10) { nodes { id } } } } }`;
    const variables = { id: product.id, handle: product.handle, category: category.id, sku };
    expect(await graph.client.data(visible, variables, { store: store.slug })).toEqual({
      store: { byId: null, byHandle: null, listed: { nodes: [] }, searched: { nodes: [] } },
      category: { products: { nodes: [] } },
    });
    expect(await graph.client.data(visible, variables, asOwner(store))).toEqual({
      store: {
        byId: { id: product.id },
        byHandle: { id: product.id },
        listed: { nodes: [{ id: product.id }] },
        searched: { nodes: [{ id: product.id }] },
      },
      category: { products: { nodes: [{ id: product.id }] } },
    });
    const republished = await graph.client.data(
      PRODUCT_UPDATE,
      { input: { id: product.id, status: 'ACTIVE' } },
      asOwner(store),
    );
    expect(republished.productUpdate.product.status).toBe('ACTIVE');
    expect((await graph.client.data(visible, variables, { store: store.slug })).store.byId).toEqual({ id: product.id });
  });
});
