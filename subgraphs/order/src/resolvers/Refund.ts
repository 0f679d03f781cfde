import { money, requireStore, toGlobalId } from '@commerce/graphql-kit';
import type { RefundLineResolvers, RefundResolvers } from '../__generated__/resolvers-types.js';
import { orderLineOf, refundReturn } from '../services/order.service.js';

export const Refund: RefundResolvers = {
  id: (refund) => toGlobalId('Refund', refund.id),
  amount: (refund) => money(refund.amount, refund.currencyCode),
  shippingAmount: (refund) => money(refund.shippingAmount, refund.currencyCode),
  // The request's store is the refund's (row-level security), so its currency is the store's.
  storeAmount: (refund, _args, context) =>
    refund.storeAmount === null
      ? money(refund.amount, refund.currencyCode)
      : money(refund.storeAmount, requireStore(context).currencyCode),
  return: (refund, _args, context) => refundReturn(context, refund),
};

export const RefundLine: RefundLineResolvers = {
  orderLine: (line, _args, context) => orderLineOf(context, line.orderId, line.orderLineId, line.currencyCode),
  amount: (line) => money(line.amount, line.currencyCode),
};
