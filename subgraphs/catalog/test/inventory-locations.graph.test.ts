import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  addStaffMember,
  createProduct,
  createStore,
  errorCodes,
  ownerPrisma,
  sharedTestGraph,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import {
  asOwner,
  asSeller,
  firstVariantId,
  INVENTORY_ADJUST,
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

interface LocationPayload {
  inventoryLocation: {
    id: string;
    name: string;
    isDefault: boolean;
    active: boolean;
    address: Record<string, string | null>;
  } | null;
  userErrors: { field: string[] | null; message: string; code: string }[];
}

async function create(store: TestStore, input: Record<string, unknown>): Promise<LocationPayload> {
  return (await graph.client.data(LOCATION_CREATE, { input }, asOwner(store))).inventoryLocationCreate;
}

async function update(store: TestStore, input: Record<string, unknown>): Promise<LocationPayload> {
  return (await graph.client.data(LOCATION_UPDATE, { input }, asOwner(store))).inventoryLocationUpdate;
}

const LOCATIONS = `{ store { inventoryLocations(first: 10) { nodes { name isDefault active } totalCount } } }`;

describe('inventory locations', () => {
  it('the first location is the default; another can take over; the store lists them by name', async () => {
    const store = await createStore(graph.client);
    const warehouse = await create(store, {
      name: ' Warehouse ',
      address: { address1: 'Dock 4', city: 'Hamburg', zip: '20457', countryCode: 'de' },
    });
    expect(warehouse).toEqual({
      inventoryLocation: {
        id: expect.any(String),
        name: 'Warehouse',
        isDefault: true,
        active: true,
        address: { address1: 'Dock 4', city: 'Hamburg', zip: '20457', countryCode: 'DE' },
      },
      userErrors: [],
    });
    const shop = await create(store, { name: 'Berlin Shop', isDefault: true });
    expect(shop.inventoryLocation?.isDefault).toBe(true);
    expect((await graph.client.data(LOCATIONS, {}, asOwner(store))).store.inventoryLocations).toEqual({
      nodes: [
        { name: 'Berlin Shop', isDefault: true, active: true },
        { name: 'Warehouse', isDefault: false, active: true },
      ],
      totalCount: 2,
    });
    const back = await update(store, {
      id: warehouse.inventoryLocation?.id,
      isDefault: true,
      name: 'Main warehouse',
      address: { city: 'Bremen' },
    });
    expect(back.inventoryLocation).toMatchObject({
      name: 'Main warehouse',
      isDefault: true,
      address: { address1: null, city: 'Bremen' },
    });
    // Stock changes without a location go to the default.
    const product = await createProduct(graph.client, store, { variants: [{ price: '1.00', inventoryQuantity: 2 }] });
    const adjusted = await graph.client.data(
      INVENTORY_ADJUST,
      { input: { variantId: firstVariantId(product), delta: 1, reason: 'x' } },
      asOwner(store),
    );
    expect(adjusted.inventoryAdjust.inventoryLevel.location).toMatchObject({ name: 'Main warehouse', isDefault: true });
  });

  it('refuses a taken name, a bad country code, giving up the default, and retiring a location with stock or the default', async () => {
    const store = await createStore(graph.client);
    const main = (await create(store, { name: 'Main' })).inventoryLocation;
    const spare = (await create(store, { name: 'Spare' })).inventoryLocation;
    expect(
      (await create(store, { name: 'Main', address: { countryCode: 'Germany' } })).userErrors.map(problem),
    ).toEqual(['input.address.countryCode INVALID']);
    expect((await create(store, { name: 'Main' })).userErrors.map(problem)).toEqual(['input.name TAKEN']);
    expect((await update(store, { id: spare?.id, name: 'Main' })).userErrors.map(problem)).toEqual([
      'input.name TAKEN',
    ]);
    expect((await update(store, { id: main?.id, isDefault: false })).userErrors.map(problem)).toEqual([
      'input.isDefault IS_DEFAULT',
    ]);
    expect((await update(store, { id: main?.id, active: false })).userErrors.map(problem)).toEqual([
      'input.active IS_DEFAULT',
    ]);

    const product = await createProduct(graph.client, store, { variants: [{ price: '1.00' }] });
    await graph.client.data(
      INVENTORY_ADJUST,
      { input: { variantId: firstVariantId(product), delta: 3, reason: 'x', locationId: spare?.id } },
      asOwner(store),
    );
    expect((await update(store, { id: spare?.id, active: false })).userErrors.map(problem)).toEqual([
      'input.active HAS_STOCK',
    ]);
    await graph.client.data(
      INVENTORY_ADJUST,
      { input: { variantId: firstVariantId(product), delta: -3, reason: 'x', locationId: spare?.id } },
      asOwner(store),
    );
    expect((await update(store, { id: spare?.id, active: false })).inventoryLocation).toMatchObject({
      active: false,
      isDefault: false,
    });
    expect((await update(store, { id: spare?.id, isDefault: true })).userErrors.map(problem)).toEqual([
      'input.isDefault INVALID',
    ]);
  });

  it('STAFF may read locations but not change them; storefronts may not read them; another store’s location is NOT_FOUND', async () => {
    const store = await createStore(graph.client);
    const other = await createStore(graph.client);
    const location = (await create(store, { name: 'Main' })).inventoryLocation;
    const foreign = (await create(other, { name: 'Theirs' })).inventoryLocation;
    const staff = await addStaffMember(graph.client, owner, store, 'STAFF');
    expect((await graph.client.data(LOCATIONS, {}, asSeller(staff, store))).store.inventoryLocations.totalCount).toBe(
      1,
    );
    expect(
      errorCodes(await graph.client.execute(LOCATION_CREATE, { input: { name: 'x' } }, asSeller(staff, store))),
    ).toEqual(['FORBIDDEN']);
    expect(
      errorCodes(
        await graph.client.execute(LOCATION_UPDATE, { input: { id: location?.id, name: 'x' } }, asSeller(staff, store)),
      ),
    ).toEqual(['FORBIDDEN']);
    expect(errorCodes(await graph.client.execute(LOCATIONS, {}, { store: store.slug }))).toEqual(['UNAUTHENTICATED']);
    expect(
      errorCodes(
        await graph.client.execute(LOCATION_UPDATE, { input: { id: foreign?.id, name: 'x' } }, asOwner(store)),
      ),
    ).toEqual(['NOT_FOUND']);
  });
});
