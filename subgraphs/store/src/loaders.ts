import DataLoader from 'dataloader';
import type { Seller, StaffRole, Store } from '@commerce/database';
import type { RequestContext } from '@commerce/graphql-kit';

/** The per-request DataLoaders of the store subgraph: one statement per batch. */
export function createLoaders(context: RequestContext) {
  const { db } = context;
  const sellerId = context.viewer.kind === 'seller' ? context.viewer.sellerId : null;
  return {
    storeById: new DataLoader<string, Store | null>(async (ids) => {
      const stores = await db.transaction((tx) => tx.store.findMany({ where: { id: { in: [...ids] } } }));
      const byId = new Map(stores.map((store) => [store.id, store]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    sellerById: new DataLoader<string, Seller | null>(async (ids) => {
      const sellers = await db.transaction((tx) => tx.seller.findMany({ where: { id: { in: [...ids] } } }));
      const byId = new Map(sellers.map((seller) => [seller.id, seller]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    storesBySeller: new DataLoader<string, Store[]>(async (sellerIds) => {
      const memberships = await db.transaction((tx) =>
        tx.staffMember.findMany({ where: { sellerId: { in: [...sellerIds] } }, include: { store: true }, orderBy: { createdAt: 'asc' } }),
      );
      return sellerIds.map((id) => memberships.filter((member) => member.sellerId === id).map((member) => member.store));
    }),
    /** The calling seller's role in each store. */
    viewerRoleByStore: new DataLoader<string, StaffRole | null>(async (storeIds) => {
      if (!sellerId) return storeIds.map(() => null);
      const memberships = await db.transaction((tx) => tx.staffMember.findMany({ where: { sellerId, storeId: { in: [...storeIds] } } }));
      return storeIds.map((id) => memberships.find((member) => member.storeId === id)?.role ?? null);
    }),
  };
}

export type StoreLoaders = ReturnType<typeof createLoaders>;
