import type { StoreFollowResolvers } from '../__generated__/resolvers-types.js';

export const StoreFollow: StoreFollowResolvers = {
  store: (follow) => ({ id: follow.storeId }),
  followedAt: (follow) => follow.createdAt,
};
