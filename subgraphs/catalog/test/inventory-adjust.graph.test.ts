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
  unique,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import {
  asOwner,
  asSeller,
  defaultLocationOf,
  firstVariantId,
  INVENTORY_ADJUST,
  INVENTORY_SET,
  LOCATION_CREATE,
  LOCATION_UPDATE,
  problem,
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

interface Level {
  id: string;
  available: number;
  committed: number;
  onHand: number;
  location: { id: string; name: string; isDefault: boolean };
}

interface Movement {
  id: string;
  delta: number;
  availableAfter: number;
  reason: string;
  actorType: string;
  staffSellerId: string | null;
  idempotencyKey: string | null;
}

interface StockPayload {
  stockMovement: Movement | null;
  inventoryLevel: Level | null;
  userErrors: { field: string[] | null; message: string; code: string }[];
}

async function adjust(
  store: TestStore,
  input: Record<string, unknown>,
  key?: string,
  token = store.owner.accessToken,
): Promise<StockPayload> {
  const data = await graph.client.data(INVENTORY_ADJUST, { input, key }, { token, store: store.slug });
  return data.inventoryAdjust;
}

async function set(store: TestStore, input: Record<string, unknown>, key?: string): Promise<StockPayload> {
  const data = await graph.client.data(INVENTORY_SET, { input, key }, asOwner(store));
  return data.inventorySet;
}

const STOCK = `query ($id: ID!) { node(id: $id) { ... on ProductVariant {
  inventory { available committed onHand }
  inventoryLevels { available location { name } }
  stockMovements(first: 100) { totalCount nodes { delta availableAfter reason } }
} } }`;

async function stockOf(store: TestStore, variantId: string) {
  return (await graph.client.data(STOCK, { id: variantId }, asOwner(store))).node;
}

/** A store with one tracked variant holding `quantity` units at the default location. */
async function stocked(quantity: number, variant: Record<string, unknown> = {}) {
  const store = await createStore(graph.client);
  const product = await createProduct(graph.client, store, {
    variants: [{ sku: unique('SKU'), price: '5.00', inventoryQuantity: quantity, ...variant }],
  });
  return { store, product, variantId: firstVariantId(product) };
}

async function outboxRows(store: TestStore) {
  return owner.outboxEvent.findMany({
    where: { storeId: keyOf(store.id), type: 'inventory.updated' },
    orderBy: { sequence: 'asc' },
  });
}

describe('inventoryAdjust', () => {
  it('adds and removes units at the default location, records who and why, and announces each change in the outbox', async () => {
    const { store, product, variantId } = await stocked(10);
    const added = await adjust(store, { variantId, delta: 5, reason: 'received' });
    expect(added.userErrors).toEqual([]);
    expect(added.stockMovement).toMatchObject({
      delta: 5,
      availableAfter: 15,
      reason: 'received',
      actorType: 'staff',
      staffSellerId: store.owner.id,
      idempotencyKey: null,
    });
    expect(added.inventoryLevel).toMatchObject({
      available: 15,
      committed: 0,
      onHand: 15,
      location: { name: 'Default location', isDefault: true },
    });

    const removed = await adjust(store, { variantId, delta: -3, reason: 'damaged' });
    expect(removed.stockMovement).toMatchObject({ delta: -3, availableAfter: 12 });

    const stock = await stockOf(store, variantId);
    expect(stock.inventory).toEqual({ available: 12, committed: 0, onHand: 12 });
    expect(stock.inventoryLevels).toEqual([{ available: 12, location: { name: 'Default location' } }]);
    expect(stock.stockMovements.nodes).toEqual([
      { delta: -3, availableAfter: 12, reason: 'damaged' },
      { delta: 5, availableAfter: 15, reason: 'received' },
      { delta: 10, availableAfter: 10, reason: 'initial' },
    ]);

    const events = await outboxRows(store);
    expect(events.map((event) => event.payload)).toEqual([
      {
        productId: product.id,
        variantId,
        locationId: added.inventoryLevel?.location.id,
        available: 15,
        committed: 0,
        onHand: 15,
        delta: 5,
      },
      {
        productId: product.id,
        variantId,
        locationId: added.inventoryLevel?.location.id,
        available: 12,
        committed: 0,
        onHand: 12,
        delta: -3,
      },
    ]);
    expect(events.map((event) => [event.aggregateType, event.aggregateId])).toEqual([
      ['ProductVariant', keyOf(variantId)],
      ['ProductVariant', keyOf(variantId)],
    ]);
  });

  it('refuses to go below zero with INSUFFICIENT_STOCK and the current quantity, changing nothing', async () => {
    const { store, variantId } = await stocked(2);
    const refused = await adjust(store, { variantId, delta: -3, reason: 'sold elsewhere' });
    expect(refused.stockMovement).toBeNull();
    expect(refused.inventoryLevel?.available).toBe(2);
    expect(refused.userErrors.map(problem)).toEqual(['input.delta INSUFFICIENT_STOCK']);
    expect(refused.userErrors[0]?.message).toContain('Only 2 available');
    expect((await stockOf(store, variantId)).stockMovements.totalCount).toBe(1);
    expect(await outboxRows(store)).toHaveLength(0);
  });

  it('goes below zero when the variant allows overselling', async () => {
    const { store, variantId } = await stocked(1, { allowOversell: true });
    const oversold = await adjust(store, { variantId, delta: -4, reason: 'pre-order' });
    expect(oversold.userErrors).toEqual([]);
    expect(oversold.inventoryLevel?.available).toBe(-3);
  });

  it('creates the level of a variant that had no stock yet, but never a negative one', async () => {
    const { store, variantId } = await stocked(0, { inventoryQuantity: null });
    expect((await adjust(store, { variantId, delta: -1, reason: 'x' })).userErrors.map(problem)).toEqual([
      'input.delta INSUFFICIENT_STOCK',
    ]);
    const first = await adjust(store, { variantId, delta: 4, reason: 'received' });
    expect(first.stockMovement).toMatchObject({ delta: 4, availableAfter: 4 });
  });

  it('changes stock at the location it names, and refuses a retired or unknown one', async () => {
    const { store, variantId } = await stocked(3);
    const shop = (await graph.client.data(LOCATION_CREATE, { input: { name: 'Shop' } }, asOwner(store)))
      .inventoryLocationCreate.inventoryLocation;
    const atShop = await adjust(store, { variantId, delta: 2, reason: 'transfer', locationId: shop.id });
    expect(atShop.inventoryLevel).toMatchObject({
      available: 2,
      location: { id: shop.id, name: 'Shop', isDefault: false },
    });
    expect((await stockOf(store, variantId)).inventory.available).toBe(5);

    await adjust(store, { variantId, delta: -2, reason: 'transfer', locationId: shop.id });
    const retired = await graph.client.data(LOCATION_UPDATE, { input: { id: shop.id, active: false } }, asOwner(store));
    expect(retired.inventoryLocationUpdate.userErrors).toEqual([]);
    expect(
      (await adjust(store, { variantId, delta: 1, reason: 'x', locationId: shop.id })).userErrors.map(problem),
    ).toEqual(['input.locationId LOCATION_INACTIVE']);
    const other = await createStore(graph.client);
    await createProduct(graph.client, other, { variants: [{ price: '1.00', inventoryQuantity: 1 }] });
    const foreign = await defaultLocationOf(graph.client, other);
    expect(
      (await adjust(store, { variantId, delta: 1, reason: 'x', locationId: foreign.id })).userErrors.map(problem),
    ).toEqual(['input.locationId NOT_FOUND']);
  });

  it('reports input problems: zero delta, blank reason, untracked variant, blank key', async () => {
    const { store, variantId } = await stocked(3);
    expect((await adjust(store, { variantId, delta: 0, reason: ' ' })).userErrors.map(problem)).toEqual([
      'input.delta INVALID',
      'input.reason BLANK',
    ]);
    expect((await adjust(store, { variantId, delta: 1, reason: 'x' }, ' ')).userErrors.map(problem)).toEqual([
      'idempotencyKey BLANK',
    ]);
    const untracked = await createProduct(graph.client, store, {
      variants: [{ price: '1.00', trackInventory: false }],
    });
    expect(
      (await adjust(store, { variantId: firstVariantId(untracked), delta: 1, reason: 'x' })).userErrors.map(problem),
    ).toEqual(['input.variantId NOT_TRACKED']);
  });

  it('STAFF may not change stock (FORBIDDEN), a MANAGER may; anonymous callers are UNAUTHENTICATED', async () => {
    const { store, variantId } = await stocked(3);
    const staff = await addStaffMember(graph.client, owner, store, 'STAFF');
    const manager = await addStaffMember(graph.client, owner, store, 'MANAGER');
    const input = { variantId, delta: 1, reason: 'x' };
    expect(errorCodes(await graph.client.execute(INVENTORY_ADJUST, { input }, asSeller(staff, store)))).toEqual([
      'FORBIDDEN',
    ]);
    expect(
      errorCodes(
        await graph.client.execute(
          INVENTORY_SET,
          { input: { variantId, quantity: 1, reason: 'x' } },
          asSeller(staff, store),
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graph.client.execute(INVENTORY_ADJUST, { input }, { store: store.slug }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    expect((await adjust(store, input, undefined, manager.accessToken)).stockMovement).toMatchObject({
      delta: 1,
      availableAfter: 4,
      staffSellerId: manager.id,
    });
  });

  it('100 concurrent removals of one unit from 50 leave exactly 0, with 50 refusals, 50 movements and 50 outbox rows', async () => {
    const { store, variantId } = await stocked(50);
    const results = await Promise.all(
      Array.from({ length: 100 }, () => adjust(store, { variantId, delta: -1, reason: 'sold' })),
    );
    const applied = results.filter((result) => result.stockMovement !== null);
    const refusals = results.filter((result) => result.userErrors.some((error) => error.code === 'INSUFFICIENT_STOCK'));
    expect(applied).toHaveLength(50);
    expect(refusals).toHaveLength(50);
    for (const refusal of refusals) expect(refusal.inventoryLevel?.available).toBe(0);
    // Every quantity from 49 down to 0 was left by exactly one change.
    expect(applied.map((result) => result.stockMovement?.availableAfter).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );

    const stock = await stockOf(store, variantId);
    expect(stock.inventory.available).toBe(0);
    expect(await owner.stockMovement.count({ where: { variantId: keyOf(variantId), reason: 'sold' } })).toBe(50);
    const events = await outboxRows(store);
    expect(events).toHaveLength(50);
    // Consecutive, right after the events of the product's creation (product.created and, as it is
    // created active, product.published).
    const before = await owner.outboxEvent.count({
      where: { storeId: keyOf(store.id), type: { not: 'inventory.updated' } },
    });
    expect(before).toBe(2);
    expect(events.map((event) => Number(event.sequence))).toEqual(Array.from({ length: 50 }, (_, i) => i + before + 1));
  });
});

describe('idempotency keys', () => {
  it('a replayed key applies once and answers with the first change; the key with another change is IDEMPOTENCY_KEY_REUSED', async () => {
    const { store, variantId } = await stocked(10);
    const key = unique('key');
    const first = await adjust(store, { variantId, delta: -4, reason: 'sold' }, key);
    const again = await adjust(store, { variantId, delta: -4, reason: 'sold' }, key);
    expect(again).toEqual(first);
    expect(first.stockMovement).toMatchObject({ delta: -4, availableAfter: 6, idempotencyKey: key });
    expect((await stockOf(store, variantId)).inventory.available).toBe(6);

    const reused = await adjust(store, { variantId, delta: -5, reason: 'sold' }, key);
    expect(reused.stockMovement).toBeNull();
    expect(reused.userErrors.map(problem)).toEqual(['idempotencyKey IDEMPOTENCY_KEY_REUSED']);
    // inventorySet with an adjustment's key is another request too.
    expect((await set(store, { variantId, quantity: 6, reason: 'sold' }, key)).userErrors.map(problem)).toEqual([
      'idempotencyKey IDEMPOTENCY_KEY_REUSED',
    ]);
    // Keys belong to their store.
    const other = await stocked(10);
    expect(
      (await adjust(other.store, { variantId: other.variantId, delta: -4, reason: 'sold' }, key)).stockMovement,
    ).toMatchObject({ availableAfter: 6 });
    expect(await outboxRows(store)).toHaveLength(1);
  });

  it('20 concurrent calls with one key make one change and get 20 identical answers', async () => {
    const { store, variantId } = await stocked(30);
    const key = unique('key');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => adjust(store, { variantId, delta: -2, reason: 'sold' }, key)),
    );
    expect(results[0]?.userErrors).toEqual([]);
    expect(results[0]?.stockMovement).toMatchObject({ delta: -2, availableAfter: 28 });
    for (const result of results) expect(result).toEqual(results[0]);
    expect((await stockOf(store, variantId)).inventory.available).toBe(28);
    expect(await owner.stockMovement.count({ where: { variantId: keyOf(variantId), reason: 'sold' } })).toBe(1);
    expect(await outboxRows(store)).toHaveLength(1);
  });

  it('concurrent calls with one key that take the last unit: one change, no refusal', async () => {
    const { store, variantId } = await stocked(1);
    const key = unique('key');
    const results = await Promise.all(
      Array.from({ length: 10 }, () => adjust(store, { variantId, delta: -1, reason: 'sold' }, key)),
    );
    for (const result of results) expect(result).toEqual(results[0]);
    expect(results[0]?.stockMovement).toMatchObject({ availableAfter: 0 });
  });
});

describe('inventorySet', () => {
  it('sets the units available, recording the difference, and is idempotent by key', async () => {
    const { store, variantId } = await stocked(7);
    const key = unique('count');
    const counted = await set(store, { variantId, quantity: 3, reason: 'recount' }, key);
    expect(counted.userErrors).toEqual([]);
    expect(counted.stockMovement).toMatchObject({ delta: -4, availableAfter: 3, reason: 'recount' });
    expect(await set(store, { variantId, quantity: 3, reason: 'recount' }, key)).toEqual(counted);
    const raised = await set(store, { variantId, quantity: 12, reason: 'recount' });
    expect(raised.stockMovement).toMatchObject({ delta: 9, availableAfter: 12 });
    expect((await stockOf(store, variantId)).inventory.available).toBe(12);
    expect((await outboxRows(store)).map((event) => (event.payload as { delta: number }).delta)).toEqual([-4, 9]);
  });

  it('refuses a negative quantity', async () => {
    const { store, variantId } = await stocked(7);
    expect((await set(store, { variantId, quantity: -1, reason: 'recount' })).userErrors.map(problem)).toEqual([
      'input.quantity NEGATIVE',
    ]);
  });

  it('concurrent sets and adjustments lose no update: the last set plus later adjustments is what remains', async () => {
    const { store, variantId } = await stocked(0);
    await set(store, { variantId, quantity: 100, reason: 'recount' });
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        i % 3 === 0
          ? adjust(store, { variantId, delta: 2, reason: 'in' })
          : adjust(store, { variantId, delta: -1, reason: 'out' }),
      ),
    );
    // 10 × +2 and 20 × −1.
    expect((await stockOf(store, variantId)).inventory.available).toBe(100);
    const movements = await owner.stockMovement.findMany({
      where: { variantId: keyOf(variantId) },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    expect(movements.reduce((sum, movement) => sum + movement.delta, 0)).toBe(100);
  });
});
