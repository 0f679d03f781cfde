import DataLoader from 'dataloader';
import type { Seller, StaffRole, Store } from '@commerce/database';
import type { RequestContext } from '@commerce/graphql-kit';

/** The per-request DataLoaders of the store subgraph: one statement per batch. */
export function createLoaders(context: RequestContext) {
  const { db } = context;
  const sellerId = context.viewer.kind === 'seller' ? context.viewer.sellerId : null;
  return {
    storeById: new DataLoader<string, Store | null>(async (ids) => {
      const stores = await db.read((tx) => tx.store.findMany({ where: { id: { in: [...ids] } } }));
      const byId = new Map(stores.map((store) => [store.id, store]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    sellerById: new DataLoader<string, Seller | null>(async (ids) => {
      const sellers = await db.read((tx) => tx.seller.findMany({ where: { id: { in: [...ids] } } }));
      const byId = new Map(sellers.map((seller) => [seller.id, seller]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    /**
     * Each seller's stores, read at that seller's platform scope: a Seller object is only ever
     * handed out to the seller themself (sign-up and log-in payloads, currentSeller, node).
     */
    storesBySeller: new DataLoader<string, Store[]>((sellerIds) =>
      Promise.all(
        sellerIds.map((id) =>
          db
            .withScope({ sellerId: id })
            .transaction((tx) => tx.staffMember.findMany({ where: { sellerId: id }, include: { store: true }, orderBy: { createdAt: 'asc' } }))
            .then((memberships) => memberships.map((member) => member.store)),
        ),
      ),
    ),
    /** The calling seller's role in each store. */
    viewerRoleByStore: new DataLoader<string, StaffRole | null>(async (storeIds) => {
      if (!sellerId) return storeIds.map(() => null);
      const memberships = await db.read((tx) => tx.staffMember.findMany({ where: { sellerId, storeId: { in: [...storeIds] } } }));
      return storeIds.map((id) => memberships.find((member) => member.storeId === id)?.role ?? null);
    }),
  };
}

export type StoreLoaders = ReturnType<typeof createLoaders>;
