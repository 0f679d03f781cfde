// Setting and removing custom-field values of any owner. One root field must resolve a call that
// may name products, customers, orders and the store at once, all or none, so it runs here in one
// tenant transaction through @commerce/metafields (docs/data-ownership.md), announcing the owners
// it changed; each owner's subgraph reads its values.
import type { Permission } from '@commerce/auth';
import { forbidden, requirePermission, requireStore, unauthenticated } from '@commerce/graphql-kit';
import {
  announceMetafieldChanges,
  deleteMetafields,
  ownerTypesOf,
  setMetafields,
  type MetafieldDeleteEntry,
  type MetafieldOwnerType,
  type MetafieldSetEntry,
  type MetafieldsDeleteResult,
  type MetafieldsSetResult,
} from '@commerce/metafields';
import type { SubgraphContext } from '../context.js';

/** The permission that changes each kind of owner's values: the one that manages the owner. */
const OWNER_PERMISSIONS: Readonly<Record<MetafieldOwnerType, Permission>> = {
  PRODUCT: 'MANAGE_PRODUCTS',
  PRODUCT_VARIANT: 'MANAGE_PRODUCTS',
  CUSTOMER: 'MANAGE_CUSTOMERS',
  ORDER: 'MANAGE_ORDERS',
  STORE: 'MANAGE_STORE',
};

/**
 * The store a call acts on, once the caller holds the permission of every kind of owner it names.
 * A call naming no owner it can read still needs a caller from the store's staff or apps.
 */
async function authorize(context: SubgraphContext, entries: readonly MetafieldDeleteEntry[]): Promise<string> {
  const ownerTypes = ownerTypesOf(entries);
  for (const ownerType of ownerTypes) await requirePermission(context, OWNER_PERMISSIONS[ownerType]);
  if (ownerTypes.length === 0) {
    const { viewer } = context;
    if (viewer.kind !== 'app' && viewer.kind !== 'seller') throw unauthenticated('Sign in as staff to do this.');
    if (viewer.kind === 'seller' && !(await context.staffRole()))
      throw forbidden('You are not on the staff of this store.');
  }
  return requireStore(context).id;
}

/** metafieldsSet: writes the values, all or none. */
export async function setStoreMetafields(
  context: SubgraphContext,
  entries: readonly MetafieldSetEntry[],
): Promise<MetafieldsSetResult> {
  const storeId = await authorize(context, entries);
  return context.db.transaction(async (tx) => {
    const result = await setMetafields(tx, storeId, entries);
    await announceMetafieldChanges(tx, storeId, result.owners);
    return result;
  });
}

/** metafieldsDelete: removes the values, all or none. */
export async function deleteStoreMetafields(
  context: SubgraphContext,
  entries: readonly MetafieldDeleteEntry[],
): Promise<MetafieldsDeleteResult> {
  const storeId = await authorize(context, entries);
  return context.db.transaction(async (tx) => {
    const result = await deleteMetafields(tx, storeId, entries);
    await announceMetafieldChanges(tx, storeId, result.owners);
    return result;
  });
}
