import { toGlobalId } from '@commerce/graphql-kit';
import type { DraftOrderResolvers } from '../__generated__/resolvers-types.js';
import { findOrder } from '../services/order.service.js';

export const DraftOrder: DraftOrderResolvers = {
  order: (draft, _args, context) => (draft.orderId ? findOrder(context, toGlobalId('Order', draft.orderId)) : null),
};
