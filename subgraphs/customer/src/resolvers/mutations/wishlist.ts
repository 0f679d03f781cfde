import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { followStore, unfollowStore, updateStoreFollow } from '../../services/store-follow.service.js';
import { addToWishlist, mergeIntoCustomerWishlist, removeFromWishlist } from '../../services/wishlist.service.js';

/** The caller's wishlist (a customer's, or a guest's by token) and following the customer's store. */
export const wishlistMutations: MutationResolvers = {
  wishlistAdd: (_parent, { input }, context) => addToWishlist(context, input),
  wishlistRemove: (_parent, { itemId, guestWishlistToken }, context) =>
    removeFromWishlist(context, itemId, guestWishlistToken),
  wishlistMerge: (_parent, { guestWishlistToken }, context) => mergeIntoCustomerWishlist(context, guestWishlistToken),
  storeFollow: (_parent, { storeId }, context) => followStore(context, storeId),
  storeUnfollow: (_parent, { storeId }, context) => unfollowStore(context, storeId),
  storeFollowUpdate: (_parent, { input }, context) => updateStoreFollow(context, input),
};
