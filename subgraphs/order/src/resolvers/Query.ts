import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { findOrder } from '../services/order.service.js';

export const Query: QueryResolvers = {
  order: (_parent, { id }, context) => findOrder(context, id),
};
