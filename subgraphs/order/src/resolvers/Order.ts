import { money, toGlobalId } from '@commerce/graphql-kit';
import type { OrderResolvers } from '../__generated__/resolvers-types.js';
import { findOrder, orderLines } from '../services/order.service.js';

export const Order: OrderResolvers = {
  __resolveReference: (reference, context) => findOrder(context, reference.id),
  id: (order) => toGlobalId('Order', order.id),
  number: (order) => `#${order.number}`,
  subtotal: (order) => money(order.subtotal, order.currencyCode),
  discountTotal: (order) => money(order.discountTotal, order.currencyCode),
  shippingTotal: (order) => money(order.shippingTotal, order.currencyCode),
  taxTotal: (order) => money(order.taxTotal, order.currencyCode),
  total: (order) => money(order.total, order.currencyCode),
  totalRefunded: (order) => money(order.totalRefunded, order.currencyCode),
  lines: (order, _args, context) => orderLines(context, order),
  customer: (order) => (order.customerId ? { id: toGlobalId('Customer', order.customerId) } : null),
};
