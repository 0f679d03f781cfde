import DataLoader from 'dataloader';
import { isUuid, type Customer, type CustomerAddress, type StoreFollow } from '@commerce/database';
import { groupByKey, readStoreRows, type RequestContext } from '@commerce/graphql-kit';
import { createMetafieldLoader } from '@commerce/metafields';

// Keys come from client-supplied global ids; a key that is not a UUID names nothing, and sending it
// to PostgreSQL would fail the whole batch with a cast error.
function wellFormed(ids: readonly string[]): string[] {
  return ids.filter(isUuid);
}

/** The per-request DataLoaders of the customer subgraph: one statement per batch. */
export function createLoaders(context: RequestContext) {
  return {
    /** The customers' custom-field values the caller may see. */
    customerMetafields: createMetafieldLoader(context, 'CUSTOMER'),
    customerById: new DataLoader<string, Customer | null>(async (ids) => {
      const keys = wellFormed(ids);
      const customers = keys.length
        ? await readStoreRows(context, (tx, storeId) => tx.customer.findMany({ where: { storeId, id: { in: keys } } }))
        : [];
      const byId = new Map(customers.map((customer) => [customer.id, customer]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    /** Each customer's saved addresses, oldest first. */
    addressesByCustomer: new DataLoader<string, CustomerAddress[]>(async (customerIds) => {
      const keys = wellFormed(customerIds);
      const addresses = keys.length
        ? await readStoreRows(context, (tx, storeId) =>
            tx.customerAddress.findMany({
              where: { storeId, customerId: { in: keys } },
              orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
            }),
          )
        : [];
      return groupByKey(customerIds, addresses, (address) => address.customerId);
    }),
    /** Each customer's follow of their store, or null when they do not follow it. */
    followByCustomer: new DataLoader<string, StoreFollow | null>(async (customerIds) => {
      const keys = wellFormed(customerIds);
      const follows = keys.length
        ? await readStoreRows(context, (tx, storeId) =>
            tx.storeFollow.findMany({ where: { storeId, customerId: { in: keys } } }),
          )
        : [];
      const byCustomer = new Map(follows.map((follow) => [follow.customerId, follow]));
      return customerIds.map((id) => byCustomer.get(id) ?? null);
    }),
    /** How many customers follow each store (0 before the first follow). */
    followersCountByStore: new DataLoader<string, number>(async (storeIds) => {
      const keys = wellFormed(storeIds);
      const counts = keys.length
        ? await readStoreRows(context, (tx, storeId) =>
            tx.storeFollowerCount.findMany({ where: { storeId: { in: keys.filter((key) => key === storeId) } } }),
          )
        : [];
      const byStore = new Map(counts.map((count) => [count.storeId, count.followersCount]));
      return storeIds.map((id) => byStore.get(id) ?? 0);
    }),
  };
}

export type CustomerLoaders = ReturnType<typeof createLoaders>;
