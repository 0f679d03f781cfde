import type { InventoryLocation, Prisma, Transaction } from '@commerce/database';
import {
  hasPermission,
  InputErrors,
  keyOrNull,
  notFound,
  prismaConnection,
  prismaSortKey,
  requirePermission,
  userError,
  violatedUniqueIndex,
  type Connection,
  type PageArgs,
  type UserError,
} from '@commerce/graphql-kit';
import { lockDefaultLocation } from '@commerce/inventory';
import type {
  InventoryLocationCreateInput,
  InventoryLocationUpdateInput,
  LocationAddressInput,
  ProductErrorCode,
} from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { announceLocation } from './catalog-events.js';
import { at, MAX_TEXT, maxLength } from './product-input.js';

export interface LocationResult {
  inventoryLocation: InventoryLocation | null;
  userErrors: UserError<ProductErrorCode>[];
}

/** A location's postal address as stored (InventoryLocation.address) and shown. */
export interface LocationAddress {
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  zip: string | null;
  countryCode: string | null;
  phone: string | null;
}

const ADDRESS_FIELDS = ['address1', 'address2', 'city', 'province', 'zip', 'countryCode', 'phone'] as const;

const LOCATION_ORDER = prismaSortKey({
  field: 'name',
  kind: 'string',
  value: (location: InventoryLocation) => location.name,
});

const TAKEN = (field: string[]) => userError(field, 'Another location has this name; choose another.', 'TAKEN');

/** The stored address of a location, every part a string or null. */
export function locationAddress(location: InventoryLocation): LocationAddress {
  const stored = location.address;
  const record = typeof stored === 'object' && stored !== null && !Array.isArray(stored) ? stored : {};
  const part = (name: (typeof ADDRESS_FIELDS)[number]) => {
    const value = record[name];
    return typeof value === 'string' ? value : null;
  };
  return {
    address1: part('address1'),
    address2: part('address2'),
    city: part('city'),
    province: part('province'),
    zip: part('zip'),
    countryCode: part('countryCode'),
    phone: part('phone'),
  };
}

function readAddress(errors: InputErrors<ProductErrorCode>, input: LocationAddressInput): Prisma.InputJsonObject {
  const address: Record<string, string> = {};
  for (const name of ADDRESS_FIELDS) {
    const value = input[name]?.trim();
    if (!value) continue;
    maxLength(errors, at('address', name), value, MAX_TEXT);
    address[name] = name === 'countryCode' ? value.toUpperCase() : value;
  }
  if (address.countryCode !== undefined && !/^[A-Z]{2}$/.test(address.countryCode)) {
    errors.add(at('address', 'countryCode'), 'Use a two-letter ISO 3166-1 country code, e.g. DE.', 'INVALID');
  }
  return address;
}

/** Makes `locationId` the store's only default location. */
async function makeDefault(tx: Transaction, storeId: string, locationId: string): Promise<void> {
  await tx.inventoryLocation.updateMany({
    where: { storeId, isDefault: true, id: { not: locationId } },
    data: { isDefault: false },
  });
  await tx.inventoryLocation.update({ where: { storeId_id: { storeId, id: locationId } }, data: { isDefault: true } });
}

/** Creates an inventory location (MANAGE_INVENTORY); the store's first location becomes its default. */
export async function createLocation(
  context: SubgraphContext,
  input: InventoryLocationCreateInput,
): Promise<LocationResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_INVENTORY');
  const errors = new InputErrors<ProductErrorCode>().text(at('name'), input.name, MAX_TEXT);
  const address = input.address ? readAddress(errors, input.address) : {};
  if (!errors.ok) return { inventoryLocation: null, userErrors: errors.errors };
  const name = input.name.trim();
  try {
    return await context.db.transaction(async (tx) => {
      await lockDefaultLocation(tx, storeId);
      if (await tx.inventoryLocation.findUnique({ where: { storeId_name: { storeId, name } }, select: { id: true } })) {
        return { inventoryLocation: null, userErrors: [TAKEN(at('name'))] };
      }
      const hasDefault = (await tx.inventoryLocation.count({ where: { storeId, isDefault: true } })) > 0;
      const location = await tx.inventoryLocation.create({ data: { storeId, name, address } });
      if (input.isDefault === true || !hasDefault) await makeDefault(tx, storeId, location.id);
      const inventoryLocation = await tx.inventoryLocation.findUniqueOrThrow({
        where: { storeId_id: { storeId, id: location.id } },
      });
      await announceLocation(tx, storeId, 'location.created', location.id);
      return { inventoryLocation, userErrors: [] };
    });
  } catch (error) {
    if (violatedUniqueIndex(error) === null) throw error;
    return { inventoryLocation: null, userErrors: [TAKEN(at('name'))] };
  }
}

/**
 * Changes an inventory location (MANAGE_INVENTORY): name, address, becoming the default, or
 * retiring it (only without stock and when it is not the default). NOT_FOUND when the store has none.
 */
export async function updateLocation(
  context: SubgraphContext,
  input: InventoryLocationUpdateInput,
): Promise<LocationResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_INVENTORY');
  const key = keyOrNull(input.id, 'InventoryLocation');
  if (key === null) throw notFound(`InventoryLocation "${input.id}"`);
  const errors = new InputErrors<ProductErrorCode>();
  if (input.name != null) errors.text(at('name'), input.name, MAX_TEXT);
  const address = input.address ? readAddress(errors, input.address) : undefined;
  if (!errors.ok) return { inventoryLocation: null, userErrors: errors.errors };
  const name = input.name?.trim();
  try {
    return await context.db.transaction(async (tx) => {
      await lockDefaultLocation(tx, storeId);
      // Locked, so that no stock arrives while the location is being retired.
      const [current] = await tx.$queryRaw<
        InventoryLocation[]
      >`SELECT * FROM "InventoryLocation" WHERE "storeId" = ${storeId}::uuid AND id = ${key}::uuid FOR UPDATE`;
      if (!current) throw notFound(`InventoryLocation "${input.id}"`);
      if (
        name !== undefined &&
        name !== current.name &&
        (await tx.inventoryLocation.findUnique({ where: { storeId_name: { storeId, name } }, select: { id: true } }))
      ) {
        errors.errors.push(TAKEN(at('name')));
      }
      if (input.isDefault === false && current.isDefault) {
        errors.add(
          at('isDefault'),
          'A store always has a default location; make another location the default instead.',
          'IS_DEFAULT',
        );
      }
      if (input.active === false && current.active) {
        if (current.isDefault && input.isDefault !== false)
          errors.add(
            at('active'),
            'The default location cannot be retired; make another location the default first.',
            'IS_DEFAULT',
          );
        const stocked = await tx.inventoryLevel.count({
          where: { storeId, locationId: key, OR: [{ available: { not: 0 } }, { committed: { not: 0 } }] },
        });
        if (stocked > 0)
          errors.add(
            at('active'),
            `The location holds stock of ${stocked} variant(s); move or set it to zero first.`,
            'HAS_STOCK',
          );
      }
      if (input.isDefault === true && (input.active === false || (!current.active && input.active !== true))) {
        errors.add(at('isDefault'), 'Only an active location can be the default.', 'INVALID');
      }
      if (!errors.ok) return { inventoryLocation: null, userErrors: errors.errors };
      await tx.inventoryLocation.update({
        where: { storeId_id: { storeId, id: key } },
        data: { name, address, active: input.active ?? undefined },
      });
      if (input.isDefault === true && !current.isDefault) await makeDefault(tx, storeId, key);
      const inventoryLocation = await tx.inventoryLocation.findUniqueOrThrow({
        where: { storeId_id: { storeId, id: key } },
      });
      await announceLocation(tx, storeId, 'location.updated', key);
      return { inventoryLocation, userErrors: [] };
    });
  } catch (error) {
    if (violatedUniqueIndex(error) === null) throw error;
    return { inventoryLocation: null, userErrors: [TAKEN(at('name'))] };
  }
}

/** A page of the store's inventory locations by name (staff who may read products). */
export async function listLocations(
  context: SubgraphContext,
  storeId: string,
  args: PageArgs,
): Promise<Connection<InventoryLocation>> {
  await requirePermission(context, 'READ_PRODUCTS');
  const where: Prisma.InventoryLocationWhereInput = { storeId };
  return prismaConnection({
    args,
    sort: LOCATION_ORDER,
    fetch: (page) => context.db.transaction((tx) => tx.inventoryLocation.findMany(page.findManyArgs(where))),
    count: () => context.db.transaction((tx) => tx.inventoryLocation.count({ where })),
  });
}

/** The location an entity reference (or `node`) names: staff who may read products see their store's; others see none. */
export async function findLocation(context: SubgraphContext, id: string): Promise<InventoryLocation | null> {
  const key = keyOrNull(id, 'InventoryLocation');
  if (key === null || !(await hasPermission(context, 'READ_PRODUCTS'))) return null;
  return context.loaders.locationById.load(key);
}

/** A location referenced by a level or movement of the store. */
export async function locationOf(context: SubgraphContext, locationId: string): Promise<InventoryLocation> {
  const location = await context.loaders.locationById.load(locationId);
  if (!location) throw new Error(`Inventory location ${locationId} is missing.`);
  return location;
}
