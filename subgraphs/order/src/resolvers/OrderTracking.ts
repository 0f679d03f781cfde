import { money } from '@commerce/graphql-kit';
import type { FulfillmentShipmentStatus, OrderTrackingResolvers } from '../__generated__/resolvers-types.js';

export const OrderTracking: OrderTrackingResolvers = {
  number: (order) => `#${order.number}`,
  total: (order) => money(order.total, order.currencyCode),
  lines: (order, _args, context) => context.loaders.linesByOrder.load(order.id),
  shipments: async (order, _args, context) =>
    (await context.loaders.fulfillmentsByOrder.load(order.id)).map((fulfillment) => ({
      ...fulfillment,
      status: fulfillment.status as FulfillmentShipmentStatus,
    })),
};
