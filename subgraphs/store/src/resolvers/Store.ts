import { keyOrNull, toGlobalId } from '@commerce/graphql-kit';
import type { StoreResolvers } from '../__generated__/resolvers-types.js';

export const Store: StoreResolvers = {
  __resolveReference: (reference, context) => {
    const key = keyOrNull(reference.id, 'Store');
    return key ? context.loaders.storeById.load(key) : null;
  },
  id: (store) => toGlobalId('Store', store.id),
  viewerRole: (store, _args, context) => context.loaders.viewerRoleByStore.load(store.id),
};
