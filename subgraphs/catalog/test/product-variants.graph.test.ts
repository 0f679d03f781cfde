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
  firstVariantId,
  INVENTORY_ADJUST,
  problem,
  VARIANTS_CREATE,
  VARIANTS_DELETE,
  VARIANTS_UPDATE,
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

type Payload = {
  product: Record<string, any> | null;
  productVariants?: Record<string, any>[] | null;
  deletedVariantIds?: string[] | null;
  userErrors: { field: string[] | null; code: string }[];
};

async function run(store: TestStore, mutation: string, input: Record<string, unknown>): Promise<Payload> {
  const data = await graph.client.data(mutation, { input }, asOwner(store));
  return Object.values(data)[0] as Payload;
}

const range = (payload: Payload) => [
  payload.product?.priceRange.minVariantPrice.amount,
  payload.product?.priceRange.maxVariantPrice.amount,
];

/** A product with options Size (S, M, L) and Colour (Red, Blue) and one variant S / Red at 10.00. */
async function shirt(store: TestStore) {
  return createProduct(graph.client, store, {
    options: [
      { name: 'Size', values: ['S', 'M', 'L'] },
      { name: 'Colour', values: ['Red', 'Blue'] },
    ],
    variants: [
      {
        sku: unique('S-RED'),
        price: '10.00',
        options: [
          { name: 'Size', value: 'S' },
          { name: 'Colour', value: 'Red' },
        ],
        inventoryQuantity: 1,
      },
    ],
  });
}

describe('productVariantsCreate', () => {
  it('adds variants after the existing ones with starting stock, and the price range follows', async () => {
    const store = await createStore(graph.client);
    const product = await shirt(store);
    const sku = unique('M-BLUE');
    const payload = await run(store, VARIANTS_CREATE, {
      productId: product.id,
      variants: [
        {
          sku,
          barcode: '4006381333931',
          price: '14.50',
          compareAtPrice: '20.00',
          options: [
            { name: 'Colour', value: 'Blue' },
            { name: 'Size', value: 'M' },
          ],
          inventoryQuantity: 3,
          lowStockThreshold: 1,
        },
        {
          price: '8.00',
          options: [
            { name: 'Size', value: 'L' },
            { name: 'Colour', value: 'Red' },
          ],
          trackInventory: false,
        },
      ],
    });
    expect(payload.userErrors).toEqual([]);
    expect(payload.productVariants).toMatchObject([
      {
        title: 'M / Blue',
        sku,
        barcode: '4006381333931',
        position: 1,
        price: { amount: '14.50' },
        compareAtPrice: { amount: '20.00' },
        selectedOptions: [
          { name: 'Size', value: 'M' },
          { name: 'Colour', value: 'Blue' },
        ],
        lowStockThreshold: 1,
        inventory: { available: 3, tracked: true },
      },
      { title: 'L / Red', sku: null, position: 2, trackInventory: false, inventory: { available: 0, tracked: false } },
    ]);
    expect(range(payload)).toEqual(['8.00', '14.50']);
    expect(payload.product?.variants.nodes.map((node: { title: string }) => node.title)).toEqual([
      'S / Red',
      'M / Blue',
      'L / Red',
    ]);
    // The new SKU is searchable at once.
    const found = await graph.client.data(
      `query ($q: String) { store { products(first: 5, filter: { query: $q }) { nodes { id } } } }`,
      { q: sku },
      asOwner(store),
    );
    expect(found.store.products.nodes).toEqual([{ id: product.id }]);
  });

  it('refuses duplicate combinations, unknown option values, taken SKUs and bad prices, creating nothing', async () => {
    const store = await createStore(graph.client);
    const product = await shirt(store);
    const other = await createProduct(graph.client, store, { variants: [{ sku: 'TAKEN-1', price: '1.00' }] });
    const payload = await run(store, VARIANTS_CREATE, {
      productId: product.id,
      variants: [
        {
          price: '1.00',
          options: [
            { name: 'Size', value: 'S' },
            { name: 'Colour', value: 'Red' },
          ],
        },
        {
          price: '1.001',
          options: [
            { name: 'Size', value: 'XL' },
            { name: 'Colour', value: 'Red' },
          ],
        },
        { sku: 'TAKEN-1', price: '-1', options: [{ name: 'Size', value: 'M' }] },
      ],
    });
    expect(payload.product).toBeNull();
    expect(payload.userErrors.map(problem)).toEqual([
      'input.variants.0.options DUPLICATE',
      'input.variants.1.price TOO_PRECISE',
      'input.variants.1.options.0.value INVALID',
      'input.variants.2.price NEGATIVE',
      'input.variants.2.options INVALID',
      'input.variants.2.sku TAKEN',
    ]);
    expect(other.id).not.toBe(product.id);
    const variants = await graph.client.data(
      `query ($id: ID!) { node(id: $id) { ... on Product { variants { totalCount } } } }`,
      { id: product.id },
      asOwner(store),
    );
    expect(variants.node.variants.totalCount).toBe(1);
  });

  it('a product without options keeps its single variant', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store);
    expect(
      (await run(store, VARIANTS_CREATE, { productId: product.id, variants: [{ price: '2.00' }] })).userErrors.map(
        problem,
      ),
    ).toEqual(['input.variants.0.options DUPLICATE']);
  });
});

describe('productVariantsUpdate', () => {
  it('changes prices, SKUs, options and stock settings; the price range and compare-at range follow', async () => {
    const store = await createStore(graph.client);
    const product = await shirt(store);
    const added = await run(store, VARIANTS_CREATE, {
      productId: product.id,
      variants: [
        {
          price: '12.00',
          compareAtPrice: '15.00',
          options: [
            { name: 'Size', value: 'M' },
            { name: 'Colour', value: 'Red' },
          ],
        },
      ],
    });
    const [first, second] = [firstVariantId(product), added.productVariants?.[0]?.id];
    const payload = await run(store, VARIANTS_UPDATE, {
      productId: product.id,
      variants: [
        {
          id: first,
          price: '30.00',
          sku: 'NEW-SKU',
          options: [
            { name: 'Size', value: 'L' },
            { name: 'Colour', value: 'Blue' },
          ],
          lowStockThreshold: 0,
        },
        { id: second, compareAtPrice: null, allowOversell: true, trackInventory: true },
      ],
    });
    expect(payload.userErrors).toEqual([]);
    expect(payload.productVariants).toMatchObject([
      { id: first, title: 'L / Blue', sku: 'NEW-SKU', price: { amount: '30.00' }, lowStockThreshold: 0 },
      { id: second, title: 'M / Red', compareAtPrice: null, allowOversell: true, price: { amount: '12.00' } },
    ]);
    expect(range(payload)).toEqual(['12.00', '30.00']);
    expect(payload.product?.compareAtPriceRange).toBeNull();
    // Overselling allowed now: the database lets its stock go below zero.
    const oversold = await graph.client.data(
      INVENTORY_ADJUST,
      { input: { variantId: second, delta: -2, reason: 'pre-order' } },
      asOwner(store),
    );
    expect(oversold.inventoryAdjust.inventoryLevel.available).toBe(-2);
    // Turning overselling off while below zero is refused.
    const off = await run(store, VARIANTS_UPDATE, {
      productId: product.id,
      variants: [{ id: second, allowOversell: false }],
    });
    expect(off.userErrors.map(problem)).toEqual(['input.variants.0.allowOversell NEGATIVE_STOCK']);
  });

  it("refuses another product's variant, duplicate entries, clashing options and SKUs", async () => {
    const store = await createStore(graph.client);
    const product = await shirt(store);
    const added = await run(store, VARIANTS_CREATE, {
      productId: product.id,
      variants: [
        {
          sku: 'B-SKU',
          price: '12.00',
          options: [
            { name: 'Size', value: 'M' },
            { name: 'Colour', value: 'Red' },
          ],
        },
      ],
    });
    const other = await createProduct(graph.client, store);
    const first = firstVariantId(product);
    const payload = await run(store, VARIANTS_UPDATE, {
      productId: product.id,
      variants: [
        { id: firstVariantId(other), price: '1.00' },
        {
          id: first,
          sku: 'B-SKU',
          options: [
            { name: 'Size', value: 'M' },
            { name: 'Colour', value: 'Red' },
          ],
        },
        { id: first, price: '2.00' },
      ],
    });
    expect(payload.userErrors.map(problem)).toEqual([
      'input.variants.0.id NOT_FOUND',
      'input.variants.2.id DUPLICATE',
      'input.variants.1.options DUPLICATE',
      'input.variants.1.sku TAKEN',
    ]);
    expect(added.productVariants).toHaveLength(1);
  });
});

describe('productVariantsDelete', () => {
  it('deletes variants, keeping at least one; the price range follows', async () => {
    const store = await createStore(graph.client);
    const product = await shirt(store);
    const added = await run(store, VARIANTS_CREATE, {
      productId: product.id,
      variants: [
        {
          price: '5.00',
          options: [
            { name: 'Size', value: 'M' },
            { name: 'Colour', value: 'Red' },
          ],
        },
        {
          price: '50.00',
          options: [
            { name: 'Size', value: 'L' },
            { name: 'Colour', value: 'Red' },
          ],
        },
      ],
    });
    expect(range(added)).toEqual(['5.00', '50.00']);
    const ids = added.productVariants?.map((variant) => variant.id) ?? [];
    const deleted = await run(store, VARIANTS_DELETE, { productId: product.id, variantIds: ids });
    expect(deleted.userErrors).toEqual([]);
    expect(deleted.deletedVariantIds?.sort()).toEqual([...ids].sort());
    expect(range(deleted)).toEqual(['10.00', '10.00']);
    expect(deleted.product?.variants.nodes.map((node: { title: string }) => node.title)).toEqual(['S / Red']);

    const last = await run(store, VARIANTS_DELETE, { productId: product.id, variantIds: [firstVariantId(product)] });
    expect(last.userErrors.map(problem)).toEqual(['input.variantIds LAST_VARIANT']);
    const foreign = await createProduct(graph.client, store);
    expect(
      (
        await run(store, VARIANTS_DELETE, { productId: product.id, variantIds: [firstVariantId(foreign)] })
      ).userErrors.map(problem),
    ).toEqual(['input.variantIds.0 NOT_FOUND']);
    // A deleted variant is gone from the graph.
    const node = await graph.client.data(
      `query ($id: ID!) { node(id: $id) { id ... on ProductVariant { title } } }`,
      { id: ids[0] },
      asOwner(store),
    );
    expect(node.node).toBeNull();
  });

  it('STAFF may not change variants (FORBIDDEN); an unknown product is NOT_FOUND', async () => {
    const store = await createStore(graph.client);
    const product = await shirt(store);
    const staff = await addStaffMember(graph.client, owner, store, 'STAFF');
    const input = { productId: product.id, variants: [{ id: firstVariantId(product), price: '1.00' }] };
    expect(errorCodes(await graph.client.execute(VARIANTS_UPDATE, { input }, asSeller(staff, store)))).toEqual([
      'FORBIDDEN',
    ]);
    const missing = { ...input, productId: toGlobalId('Product', '00000000-0000-4000-8000-000000000000') };
    expect(errorCodes(await graph.client.execute(VARIANTS_UPDATE, { input: missing }, asOwner(store)))).toEqual([
      'NOT_FOUND',
    ]);
  });
});
