import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { currentCustomer, customerForStaff } from '../services/customer.service.js';
import { guestWishlist } from '../services/wishlist.service.js';

export const Query: QueryResolvers = {
  currentCustomer: (_parent, _args, context) => currentCustomer(context),
  customer: (_parent, { id }, context) => customerForStaff(context, id),
  guestWishlist: (_parent, { token, ...args }, context) => guestWishlist(context, token, args),
};
