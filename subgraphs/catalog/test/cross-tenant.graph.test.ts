import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  createProduct,
  createStore,
  errorCodes,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  type SharedTestGraph,
} from '@commerce/testkit';
import {
  asOwner,
  CATEGORY_DELETE,
  CATEGORY_UPDATE,
  createCategory,
  defaultLocationOf,
  firstVariantId,
  INVENTORY_ADJUST,
  INVENTORY_SET,
  LOCATION_UPDATE,
  problem,
  PRODUCT_DELETE,
  PRODUCT_UPDATE,
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

describe("staff of one store and another store's catalog", () => {
  it("cannot update, delete or adjust anything of another store, by that store's ids or by naming that store", async () => {
    const a = await createStore(graph.client);
    const b = await createStore(graph.client);
    const theirCategory = await createCategory(graph.client, b, { name: 'Theirs' });
    const theirProduct = await createProduct(graph.client, b, {
      title: 'Theirs',
      categoryIds: [theirCategory.id],
      variants: [{ sku: 'B-1', price: '5.00', inventoryQuantity: 5 }],
    });
    const theirVariant = firstVariantId(theirProduct);
    const theirLocation = await defaultLocationOf(graph.client, b);
    const myProduct = await createProduct(graph.client, a, { variants: [{ price: '1.00', inventoryQuantity: 5 }] });
    const myVariant = firstVariantId(myProduct);
    // The events of their store's own changes so far (creating its category and product).
    const theirEvents = await owner.outboxEvent.count({ where: { storeId: keyOf(b.id) } });

    const attempts: [string, Record<string, unknown>][] = [
      [PRODUCT_UPDATE, { input: { id: theirProduct.id, title: 'Hijacked' } }],
      [PRODUCT_DELETE, { id: theirProduct.id }],
      [VARIANTS_CREATE, { input: { productId: theirProduct.id, variants: [{ price: '1.00' }] } }],
      [VARIANTS_UPDATE, { input: { productId: theirProduct.id, variants: [{ id: theirVariant, price: '0.01' }] } }],
      [VARIANTS_DELETE, { input: { productId: theirProduct.id, variantIds: [theirVariant] } }],
      [CATEGORY_UPDATE, { input: { id: theirCategory.id, name: 'Hijacked' } }],
      [CATEGORY_DELETE, { id: theirCategory.id }],
      [LOCATION_UPDATE, { input: { id: theirLocation.id, name: 'Hijacked' } }],
      [INVENTORY_ADJUST, { input: { variantId: theirVariant, delta: -5, reason: 'x' } }],
      [INVENTORY_SET, { input: { variantId: theirVariant, quantity: 0, reason: 'x' } }],
    ];
    for (const [mutation, variables] of attempts) {
      // In their own store the ids of the other store do not exist.
      expect(errorCodes(await graph.client.execute(mutation, variables, asOwner(a))), mutation).toEqual(['NOT_FOUND']);
      // Naming the other store, they are not its staff.
      expect(
        errorCodes(await graph.client.execute(mutation, variables, { token: a.owner.accessToken, store: b.slug })),
        mutation,
      ).toEqual(['FORBIDDEN']);
    }

    // Ids of the other store inside their own store's mutations are NOT_FOUND userErrors.
    const mixedVariants = await graph.client.data(
      VARIANTS_UPDATE,
      { input: { productId: myProduct.id, variants: [{ id: theirVariant, price: '0.01' }] } },
      asOwner(a),
    );
    expect(mixedVariants.productVariantsUpdate.userErrors.map(problem)).toEqual(['input.variants.0.id NOT_FOUND']);
    const mixedDelete = await graph.client.data(
      VARIANTS_DELETE,
      { input: { productId: myProduct.id, variantIds: [theirVariant] } },
      asOwner(a),
    );
    expect(mixedDelete.productVariantsDelete.userErrors.map(problem)).toEqual(['input.variantIds.0 NOT_FOUND']);
    const mixedStock = await graph.client.data(
      INVENTORY_ADJUST,
      { input: { variantId: myVariant, delta: 1, reason: 'x', locationId: theirLocation.id } },
      asOwner(a),
    );
    expect(mixedStock.inventoryAdjust.userErrors.map(problem)).toEqual(['input.locationId NOT_FOUND']);
    const mixedCategory = await graph.client.data(
      PRODUCT_UPDATE,
      { input: { id: myProduct.id, categoryIds: [theirCategory.id] } },
      asOwner(a),
    );
    expect(mixedCategory.productUpdate.userErrors.map(problem)).toEqual(['input.categoryIds.0 NOT_FOUND']);

    // Nothing of theirs changed.
    const storeB = keyOf(b.id);
    expect(
      await owner.product.findUniqueOrThrow({
        where: { storeId_id: { storeId: storeB, id: keyOf(theirProduct.id) } },
        select: { title: true, status: true },
      }),
    ).toEqual({ title: 'Theirs', status: 'ACTIVE' });
    expect(await owner.productVariant.count({ where: { storeId: storeB } })).toBe(1);
    expect(
      await owner.category.findUniqueOrThrow({
        where: { storeId_id: { storeId: storeB, id: keyOf(theirCategory.id) } },
        select: { name: true },
      }),
    ).toEqual({ name: 'Theirs' });
    expect(
      await owner.inventoryLocation.findUniqueOrThrow({
        where: { storeId_id: { storeId: storeB, id: keyOf(theirLocation.id) } },
        select: { name: true },
      }),
    ).toEqual({ name: theirLocation.name });
    expect(
      await owner.inventoryLevel.findFirstOrThrow({
        where: { variantId: keyOf(theirVariant) },
        select: { available: true },
      }),
    ).toEqual({ available: 5 });
    expect(await owner.stockMovement.count({ where: { storeId: storeB } })).toBe(1);
    expect(await owner.outboxEvent.count({ where: { storeId: storeB } })).toBe(theirEvents);
    // Some thirty requests, two stores' sign-ups among them: 13-26 s in a full run on two busy
    // cores, once past the default 30 s.
  }, 90_000);

  it("a storefront never reaches another store's category or its products", async () => {
    const a = await createStore(graph.client);
    const b = await createStore(graph.client);
    const theirCategory = await createCategory(graph.client, b, { name: 'Theirs' });
    await createProduct(graph.client, b, { title: 'Theirs', categoryIds: [theirCategory.id] });
    const query = `query ($id: ID!) { node(id: $id) { ... on Category { name products(first: 5) { nodes { title } } } } }`;
    expect((await graph.client.data(query, { id: theirCategory.id }, { store: a.slug })).node).toBeNull();
    expect((await graph.client.data(query, { id: theirCategory.id }, { store: b.slug })).node).toEqual({
      name: 'Theirs',
      products: { nodes: [{ title: 'Theirs' }] },
    });
  });

  it("cannot read another store's locations, stock levels or movements", async () => {
    const a = await createStore(graph.client);
    const b = await createStore(graph.client);
    const theirProduct = await createProduct(graph.client, b, { variants: [{ price: '5.00', inventoryQuantity: 5 }] });
    const query = `query ($id: ID!) { node(id: $id) { ... on ProductVariant { inventoryLevels { available } stockMovements(first: 5) { totalCount } } } }`;
    expect((await graph.client.data(query, { id: firstVariantId(theirProduct) }, asOwner(a))).node).toBeNull();
    expect(
      errorCodes(
        await graph.client.execute(
          query,
          { id: firstVariantId(theirProduct) },
          { token: a.owner.accessToken, store: b.slug },
        ),
      ),
    ).toContain('FORBIDDEN');
    const locations = `{ store { inventoryLocations(first: 5) { nodes { name } } lowStockVariants(first: 5) { nodes { id } } } }`;
    expect(await graph.client.data(locations, {}, asOwner(a))).toEqual({
      store: { inventoryLocations: { nodes: [] }, lowStockVariants: { nodes: [] } },
    });
  });
});
