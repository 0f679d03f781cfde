import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { findCart } from '../services/cart.service.js';
import { findOrder, trackOrder } from '../services/order.service.js';

export const Query: QueryResolvers = {
  order: (_parent, { id }, context) => findOrder(context, id),
  cart: (_parent, { id }, context) => findCart(context, id),
  orderTrack: (_parent, { number, email }, context) => trackOrder(context, number, email),
};
