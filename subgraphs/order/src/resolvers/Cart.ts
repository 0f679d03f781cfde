import { money, toGlobalId } from '@commerce/graphql-kit';
import type { CartResolvers } from '../__generated__/resolvers-types.js';
import { findOrder } from '../services/order.service.js';

export const Cart: CartResolvers = {
  id: (view) => view.cart.id,
  status: (view) => view.status,
  currencyCode: (view) => view.cart.currencyCode,
  lines: (view) => view.lines,
  totalQuantity: (view) => view.lines.reduce((sum, line) => sum + line.quantity, 0),
  cost: ({ cost, cart }) => ({
    subtotal: money(cost.subtotal, cart.currencyCode),
    discounts: money(cost.discounts, cart.currencyCode),
    shipping: money(cost.shipping, cart.currencyCode),
    tax: money(cost.tax, cart.currencyCode),
    taxesIncluded: cost.taxesIncluded,
    loyaltyDiscount: money(cost.loyaltyDiscount, cart.currencyCode),
    total: money(cost.total, cart.currencyCode),
  }),
  loyaltyPoints: (view) => view.cart.loyaltyPoints,
  discountCodes: (view) => view.discountCodes,
  shippingAddress: (view) => view.shippingAddress,
  shippingRates: ({ shippingRates, cart }) =>
    shippingRates.map((rate) => ({ id: rate.globalId, name: rate.name, price: money(rate.price, cart.currencyCode) })),
  selectedShippingRate: ({ selectedShippingRate: rate, cart }) =>
    rate ? { id: rate.globalId, name: rate.name, price: money(rate.price, cart.currencyCode) } : null,
  buyer: (view) => (view.cart.customerId ? { id: toGlobalId('Customer', view.cart.customerId) } : null),
  // The order shows to whoever may see it: its customer, or staff.
  order: (view, _args, context) =>
    view.cart.orderId ? findOrder(context, toGlobalId('Order', view.cart.orderId)) : null,
  createdAt: (view) => view.cart.createdAt,
  updatedAt: (view) => view.cart.updatedAt,
  expiresAt: (view) => view.cart.expiresAt,
};
