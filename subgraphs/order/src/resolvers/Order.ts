import { ownerMetafield, ownerMetafields } from '@commerce/metafields';
import { money, toGlobalId } from '@commerce/graphql-kit';
import type { OrderResolvers } from '../__generated__/resolvers-types.js';
import { addressOf } from '../services/address.js';
import { orderStoreAmounts } from '../services/store-amounts.js';
import {
  findOrder,
  isOrderStaff,
  orderEvents,
  orderFulfillments,
  orderLines,
  orderPayments,
  orderRefunds,
  orderTotalCapturable,
  orderReturns,
  orderTotalOutstanding,
  orderTotalPaid,
} from '../services/order.service.js';

export const Order: OrderResolvers = {
  __resolveReference: (reference, context) => findOrder(context, reference.id),
  id: (order) => toGlobalId('Order', order.id),
  number: (order) => `#${order.number}`,
  subtotal: (order) => money(order.subtotal, order.currencyCode),
  discountTotal: (order) => money(order.discountTotal, order.currencyCode),
  shippingTotal: (order) => money(order.shippingTotal, order.currencyCode),
  taxTotal: (order) => money(order.taxTotal, order.currencyCode),
  loyaltyDiscount: (order) => money(order.loyaltyDiscount, order.currencyCode),
  total: (order) => money(order.total, order.currencyCode),
  totalRefunded: (order) => money(order.totalRefunded, order.currencyCode),
  presentmentCurrencyCode: (order) => order.currencyCode,
  storeCurrencyCode: (order) => order.storeCurrencyCode ?? order.currencyCode,
  storeAmounts: (order) => orderStoreAmounts(order),
  totalPaid: async (order, _args, context) => money(await orderTotalPaid(context, order), order.currencyCode),
  totalCapturable: async (order, _args, context) =>
    money(await orderTotalCapturable(context, order), order.currencyCode),
  totalOutstanding: async (order, _args, context) =>
    money(await orderTotalOutstanding(context, order), order.currencyCode),
  lines: (order, _args, context) => orderLines(context, order),
  customer: (order) => (order.customerId ? { id: toGlobalId('Customer', order.customerId) } : null),
  shippingAddress: (order) => addressOf(order.shippingAddress),
  billingAddress: (order) => addressOf(order.billingAddress),
  note: async (order, _args, context) => ((await isOrderStaff(context)) ? order.note : ''),
  events: (order, _args, context) => orderEvents(context, order),
  fulfillments: (order, _args, context) => orderFulfillments(context, order),
  refunds: (order, _args, context) => orderRefunds(context, order),
  payments: (order, _args, context) => orderPayments(context, order),
  returns: (order, _args, context) => orderReturns(context, order),
  metafield: (order, { namespace, key }, context) =>
    ownerMetafield(context.loaders.orderMetafields, order.id, namespace, key),
  metafields: (order, args, context) => ownerMetafields(context.loaders.orderMetafields, order.id, args),
};
