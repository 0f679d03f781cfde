import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  addStaffMember,
  createProduct,
  createStore,
  errorCodes,
  keyOf,
  ownerPrisma,
  productInput,
  sharedTestGraph,
  unique,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { createCategory, PRODUCT_CREATE } from '@commerce/testkit/catalog-kit';

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

interface UserErrorShape {
  field: string[] | null;
  code: string;
}

async function productCreate(store: TestStore, input: Record<string, unknown>) {
  const data = await graph.client.data(
    PRODUCT_CREATE,
    { input },
    { token: store.owner.accessToken, store: store.slug },
  );
  return data.productCreate as { product: Record<string, any> | null; userErrors: UserErrorShape[] };
}

/** The userErrors of an input as "field.path CODE" lines. */
async function problems(store: TestStore, input: Record<string, unknown>): Promise<string[]> {
  const payload = await productCreate(store, input);
  expect(payload.product).toBeNull();
  return payload.userErrors.map((error) => `${(error.field ?? []).join('.')} ${error.code}`);
}

describe('productCreate', () => {
  it('creates a product with options, variants, images, categories and starting stock, returning every field', async () => {
    const store = await createStore(graph.client);
    const shirts = await createCategory(graph.client, store, { name: 'Shirts' });
    const sale = await createCategory(graph.client, store, { name: 'Sale' });
    const payload = await productCreate(store, {
      title: '  Linen Shirt ',
      description: '<p>Breathes.</p>',
      status: 'ACTIVE',
      vendor: 'Acme',
      productType: 'Shirt',
      tags: [' summer', 'linen ', 'summer', ''],
      categoryIds: [shirts.id, sale.id, shirts.id],
      options: [
        { name: 'Size', values: ['S', 'M'] },
        { name: 'Colour', values: ['White', 'Blue'] },
      ],
      variants: [
        {
          sku: 'LS-S-W',
          price: '49.90',
          compareAtPrice: '59.90',
          options: [
            { name: 'Size', value: 'S' },
            { name: 'Colour', value: 'White' },
          ],
          inventoryQuantity: 5,
        },
        // Options in another order still land in product option order.
        {
          sku: 'LS-M-B',
          price: '54.00',
          options: [
            { name: 'Colour', value: 'Blue' },
            { name: 'Size', value: 'M' },
          ],
          inventoryQuantity: 3,
        },
        {
          price: '52',
          options: [
            { name: 'Size', value: 'M' },
            { name: 'Colour', value: 'White' },
          ],
          trackInventory: false,
          inventoryQuantity: 100,
        },
      ],
      images: [{ url: 'https://cdn.example.com/a.jpg', altText: 'Front' }, { url: 'http://cdn.example.com/b.jpg' }],
    });
    expect(payload.userErrors).toEqual([]);
    const product = payload.product;
    if (!product) throw new Error('no product');
    expect(product).toMatchObject({
      title: 'Linen Shirt',
      handle: 'linen-shirt',
      description: '<p>Breathes.</p>',
      status: 'ACTIVE',
      tags: ['summer', 'linen'],
      vendor: 'Acme',
      productType: 'Shirt',
      options: [
        { name: 'Size', values: ['S', 'M'] },
        { name: 'Colour', values: ['White', 'Blue'] },
      ],
      images: [
        { url: 'https://cdn.example.com/a.jpg', altText: 'Front', position: 0 },
        { url: 'http://cdn.example.com/b.jpg', altText: '', position: 1 },
      ],
      categories: [
        { id: shirts.id, name: 'Shirts', handle: 'shirts', parent: null },
        { id: sale.id, name: 'Sale', handle: 'sale', parent: null },
      ],
      priceRange: {
        minVariantPrice: { amount: '49.90', currencyCode: 'EUR' },
        maxVariantPrice: { amount: '54.00', currencyCode: 'EUR' },
      },
      // Tracked variants only: 5 + 3; the untracked one's quantity is not stock.
      totalInventory: 8,
    });
    expect(product.createdAt).toEqual(expect.any(String));
    expect(product.variants.totalCount).toBe(3);
    expect(product.variants.edges.map((edge: { node: unknown }) => edge.node)).toEqual([
      {
        id: expect.any(String),
        title: 'S / White',
        sku: 'LS-S-W',
        price: { amount: '49.90', currencyCode: 'EUR' },
        compareAtPrice: { amount: '59.90', currencyCode: 'EUR' },
        selectedOptions: [
          { name: 'Size', value: 'S' },
          { name: 'Colour', value: 'White' },
        ],
        inventory: { available: 5, committed: 0, onHand: 5, tracked: true },
        product: { id: product.id },
      },
      {
        id: expect.any(String),
        title: 'M / Blue',
        sku: 'LS-M-B',
        price: { amount: '54.00', currencyCode: 'EUR' },
        compareAtPrice: null,
        selectedOptions: [
          { name: 'Size', value: 'M' },
          { name: 'Colour', value: 'Blue' },
        ],
        inventory: { available: 3, committed: 0, onHand: 3, tracked: true },
        product: { id: product.id },
      },
      {
        id: expect.any(String),
        title: 'M / White',
        sku: null,
        price: { amount: '52.00', currencyCode: 'EUR' },
        compareAtPrice: null,
        selectedOptions: [
          { name: 'Size', value: 'M' },
          { name: 'Colour', value: 'White' },
        ],
        inventory: { available: 0, committed: 0, onHand: 0, tracked: false },
        product: { id: product.id },
      },
    ]);
  });

  it('keeps the starting stock at a default location, with an "initial" stock movement by the seller', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, {
      variants: [{ sku: unique('sku'), price: '1.00', inventoryQuantity: 7 }],
    });
    const storeId = keyOf(store.id);
    const locations = await owner.inventoryLocation.findMany({ where: { storeId } });
    expect(locations).toEqual([expect.objectContaining({ name: 'Default location', isDefault: true })]);
    const variantId = keyOf(product.variants[0]?.id ?? '');
    const movements = await owner.stockMovement.findMany({ where: { storeId, variantId } });
    expect(movements).toEqual([
      expect.objectContaining({
        delta: 7,
        availableAfter: 7,
        reason: 'initial',
        actorType: 'staff',
        actorId: keyOf(store.owner.id),
        locationId: locations[0]?.id,
      }),
    ]);
  });

  it('concurrent creators share one default location', async () => {
    const store = await createStore(graph.client);
    await Promise.all(
      Array.from({ length: 6 }, () =>
        createProduct(graph.client, store, { variants: [{ price: '1.00', inventoryQuantity: 1 }] }),
      ),
    );
    const locations = await owner.inventoryLocation.findMany({ where: { storeId: keyOf(store.id) } });
    expect(locations).toHaveLength(1);
    const levels = await owner.inventoryLevel.findMany({ where: { storeId: keyOf(store.id) } });
    expect(new Set(levels.map((level) => level.locationId))).toEqual(new Set([locations[0]?.id]));
    expect(levels).toHaveLength(6);
  });

  it('a product without options has one "Default" variant', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, { variants: [{ price: '3.50' }] });
    const data = await graph.client.data(
      `query ($id: ID!) { store { product(id: $id) { options { name } variants { edges { node { title selectedOptions { name } } } } } } }`,
      { id: product.id },
      { store: store.slug },
    );
    expect(data.store.product).toEqual({
      options: [],
      variants: { edges: [{ node: { title: 'Default', selectedOptions: [] } }] },
    });
  });

  it('concurrent products with the same SKU: one is created, the others get TAKEN, none an error', async () => {
    const store = await createStore(graph.client);
    const sku = unique('RACE');
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        graph.client.execute(
          PRODUCT_CREATE,
          { input: productInput({ variants: [{ sku, price: '1.00' }] }) },
          { token: store.owner.accessToken, store: store.slug },
        ),
      ),
    );
    expect(responses.flatMap((response) => response.errors ?? [])).toEqual([]);
    const payloads = responses.map(
      (response) => response.data?.productCreate as { product: unknown; userErrors: UserErrorShape[] },
    );
    expect(payloads.filter((payload) => payload.product !== null)).toHaveLength(1);
    for (const payload of payloads.filter((candidate) => candidate.product === null)) {
      expect(payload.userErrors.map((error) => error.code)).toEqual(['TAKEN']);
    }
  });

  it("another store's category is NOT_FOUND", async () => {
    const store = await createStore(graph.client);
    const other = await createStore(graph.client);
    const own = await createCategory(graph.client, store);
    const foreign = await createCategory(graph.client, other);
    expect(await problems(store, productInput({ categoryIds: [own.id, foreign.id] }))).toEqual([
      'input.categoryIds.1 NOT_FOUND',
    ]);
  });

  it('reports each problem of the input with its field path and code, and creates nothing', async () => {
    const store = await createStore(graph.client);
    const other = await createStore(graph.client);
    const foreignCategory = await createCategory(graph.client, other);
    const storeId = keyOf(store.id);
    expect(
      await problems(store, {
        title: ' ',
        handle: 'Not A Handle',
        tags: ['ok', 'x'.repeat(256)],
        categoryIds: [foreignCategory.id, 'not-an-id'],
        options: [
          { name: 'Size', values: ['S', 'S', ' '] },
          { name: 'Size', values: [] },
        ],
        variants: [],
        images: [{ url: 'ftp://example.com/a.jpg' }, { url: 'not a url' }],
      }),
    ).toEqual([
      'input.title BLANK',
      'input.handle INVALID',
      'input.tags.1 TOO_LONG',
      'input.categoryIds.1 NOT_FOUND',
      'input.options.0.values.1 DUPLICATE',
      'input.options.0.values.2 BLANK',
      'input.options.1.name DUPLICATE',
      'input.options.1.values BLANK',
      'input.variants BLANK',
      'input.images.0.url INVALID',
      'input.images.1.url INVALID',
    ]);
    expect(await owner.product.count({ where: { storeId } })).toBe(0);
  });

  it('checks prices, stock, SKUs and variant options', async () => {
    const store = await createStore(graph.client);
    const options = [
      { name: 'Size', values: ['S', 'M'] },
      { name: 'Colour', values: ['Red'] },
    ];
    const size = (value: string) => ({ name: 'Size', value });
    const red = { name: 'Colour', value: 'Red' };
    expect(
      await problems(store, {
        title: 'Checked',
        options,
        variants: [
          { sku: 'A', price: '-1', options: [size('S'), red] },
          { sku: 'A', price: '1.999', compareAtPrice: '-0.01', options: [size('M'), red], inventoryQuantity: -1 },
          { price: '1', options: [size('S'), red] },
          { price: '1', options: [size('M')] },
          { price: '1', options: [size('L'), red] },
          { price: '1', options: [size('S'), size('M')] },
          { price: '1', options: [size('S'), red, { name: 'Fit', value: 'Slim' }] },
        ],
      }),
    ).toEqual([
      'input.variants.0.price NEGATIVE',
      'input.variants.1.price TOO_PRECISE',
      'input.variants.1.compareAtPrice NEGATIVE',
      'input.variants.1.sku DUPLICATE',
      'input.variants.1.inventoryQuantity NEGATIVE',
      'input.variants.2.options DUPLICATE',
      'input.variants.3.options INVALID',
      'input.variants.4.options.0.value INVALID',
      'input.variants.5.options.1.name DUPLICATE',
      'input.variants.6.options.2.name INVALID',
    ]);
  });

  it('allows at most 3 options, and a single variant when there are none', async () => {
    const store = await createStore(graph.client);
    const option = (name: string) => ({ name, values: ['x'] });
    expect(await problems(store, productInput({ options: ['A', 'B', 'C', 'D'].map(option) }))).toEqual([
      'input.options TOO_MANY',
    ]);
    expect(await problems(store, productInput({ variants: [{ price: '1' }, { price: '2' }] }))).toEqual([
      'input.variants.1.options DUPLICATE',
    ]);
  });

  it('prices follow the currency: JPY has no decimals, EUR two', async () => {
    const yen = await createStore(graph.client, { currencyCode: 'JPY' });
    const product = await createProduct(graph.client, yen, {
      variants: [{ price: '1500', compareAtPrice: '1800.00' }],
    });
    expect(product.variants[0]?.price).toEqual({ amount: '1500', currencyCode: 'JPY' });
    expect(await problems(yen, productInput({ variants: [{ price: '1500.5' }] }))).toEqual([
      'input.variants.0.price TOO_PRECISE',
    ]);
    const euro = await createStore(graph.client);
    const exact = await createProduct(graph.client, euro, { variants: [{ price: '19.99' }] });
    expect(exact.variants[0]?.price).toEqual({ amount: '19.99', currencyCode: 'EUR' });
  });

  it('STAFF may not create products (FORBIDDEN); a MANAGER may', async () => {
    const store = await createStore(graph.client);
    const staff = await addStaffMember(graph.client, owner, store, 'STAFF');
    const forbidden = await graph.client.execute(
      PRODUCT_CREATE,
      { input: productInput() },
      { token: staff.accessToken, store: store.slug },
    );
    expect(errorCodes(forbidden)).toEqual(['FORBIDDEN']);
    const manager = await addStaffMember(graph.client, owner, store, 'MANAGER');
    const allowed = await graph.client.data(
      PRODUCT_CREATE,
      { input: productInput() },
      { token: manager.accessToken, store: store.slug },
    );
    expect(allowed.productCreate.userErrors).toEqual([]);
  });

  it('an anonymous caller is UNAUTHENTICATED, and a seller of another store FORBIDDEN', async () => {
    const store = await createStore(graph.client);
    const anonymous = await graph.client.execute(PRODUCT_CREATE, { input: productInput() }, { store: store.slug });
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const stranger = await createStore(graph.client);
    const foreign = await graph.client.execute(
      PRODUCT_CREATE,
      { input: productInput() },
      { token: stranger.owner.accessToken, store: store.slug },
    );
    expect(errorCodes(foreign)).toEqual(['FORBIDDEN']);
    expect(await owner.product.count({ where: { storeId: keyOf(store.id) } })).toBe(0);
  });
});
