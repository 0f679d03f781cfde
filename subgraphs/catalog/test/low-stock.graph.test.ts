import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  addStaffMember,
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
  asSeller,
  firstVariantId,
  INVENTORY_ADJUST,
  PRODUCT_DELETE,
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

const LOW_STOCK = `query ($after: String) { store { lowStockVariants(first: 2, after: $after) {
  nodes { sku lowStock inventory { available } }
  pageInfo { hasNextPage endCursor }
  totalCount
} } }`;

const VARIANT = `query ($id: ID!) { node(id: $id) { ... on ProductVariant { lowStock lowStockThreshold } } }`;

describe('low stock', () => {
  it("flags tracked variants at or below their threshold (their own, else the store's) and lists them, fewest units first", async () => {
    const store = await createStore(graph.client);
    // The store's default threshold is 5.
    const at5 = await createProduct(graph.client, store, {
      variants: [{ sku: 'AT-5', price: '1.00', inventoryQuantity: 5 }],
    });
    const at6 = await createProduct(graph.client, store, {
      variants: [{ sku: 'AT-6', price: '1.00', inventoryQuantity: 6 }],
    });
    const own = await createProduct(graph.client, store, {
      variants: [{ sku: 'OWN-8', price: '1.00', inventoryQuantity: 8, lowStockThreshold: 10 }],
    });
    const none = await createProduct(graph.client, store, { variants: [{ sku: 'NONE', price: '1.00' }] });
    const untracked = await createProduct(graph.client, store, {
      variants: [{ sku: 'UNTRACKED', price: '1.00', trackInventory: false }],
    });
    const archived = await createProduct(graph.client, store, {
      variants: [{ sku: 'ARCHIVED', price: '1.00', inventoryQuantity: 1 }],
    });
    await graph.client.data(PRODUCT_DELETE, { id: archived.id }, asOwner(store));

    const flags = async (variantId: string) =>
      (await graph.client.data(VARIANT, { id: variantId }, asOwner(store))).node;
    expect(await flags(firstVariantId(at5))).toEqual({ lowStock: true, lowStockThreshold: null });
    expect(await flags(firstVariantId(at6))).toEqual({ lowStock: false, lowStockThreshold: null });
    expect(await flags(firstVariantId(own))).toEqual({ lowStock: true, lowStockThreshold: 10 });
    expect(await flags(firstVariantId(none))).toEqual({ lowStock: true, lowStockThreshold: null });
    expect(await flags(firstVariantId(untracked))).toEqual({ lowStock: false, lowStockThreshold: null });

    const skus: string[] = [];
    let after: string | null = null;
    for (;;) {
      const data: {
        store: {
          lowStockVariants: {
            nodes: { sku: string; lowStock: boolean }[];
            pageInfo: { hasNextPage: boolean; endCursor: string };
            totalCount: number;
          };
        };
      } = await graph.client.data(LOW_STOCK, { after }, asOwner(store));
      const page = data.store.lowStockVariants;
      expect(page.totalCount).toBe(3);
      for (const node of page.nodes) expect(node.lowStock).toBe(true);
      skus.push(...page.nodes.map((node) => node.sku));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(skus).toEqual(['NONE', 'AT-5', 'OWN-8']);

    // Stock coming in clears the flag; a lower threshold of its own too; the store's threshold counts for the rest.
    await graph.client.data(
      INVENTORY_ADJUST,
      { input: { variantId: firstVariantId(at5), delta: 1, reason: 'received' } },
      asOwner(store),
    );
    await graph.client.data(
      VARIANTS_UPDATE,
      { input: { productId: own.id, variants: [{ id: firstVariantId(own), lowStockThreshold: 3 }] } },
      asOwner(store),
    );
    await owner.store.update({ where: { id: keyOf(store.id) }, data: { lowStockThreshold: 6 } });
    expect(await flags(firstVariantId(at5))).toEqual({ lowStock: true, lowStockThreshold: null });
    expect(await flags(firstVariantId(own))).toEqual({ lowStock: false, lowStockThreshold: 3 });
    expect((await graph.client.data(LOW_STOCK, {}, asOwner(store))).store.lowStockVariants.totalCount).toBe(3);
  });

  it('the list is for staff: storefronts are UNAUTHENTICATED, and STAFF may read it', async () => {
    const store = await createStore(graph.client);
    await createProduct(graph.client, store, { variants: [{ sku: 'LOW', price: '1.00', inventoryQuantity: 0 }] });
    const staff = await addStaffMember(graph.client, owner, store, 'STAFF');
    expect(errorCodes(await graph.client.execute(LOW_STOCK, {}, { store: store.slug }))).toEqual(['UNAUTHENTICATED']);
    expect(
      (await graph.client.data(LOW_STOCK, {}, asSeller(staff, store))).store.lowStockVariants.nodes.map(
        (node: { sku: string }) => node.sku,
      ),
    ).toEqual(['LOW']);
  });
});
