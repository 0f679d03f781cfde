import { toGlobalId } from '@commerce/graphql-kit';
import type {
  FulfillmentLineResolvers,
  FulfillmentResolvers,
  FulfillmentShipmentStatus,
} from '../__generated__/resolvers-types.js';
import { orderLineOf } from '../services/order.service.js';

export const Fulfillment: FulfillmentResolvers = {
  id: (fulfillment) => toGlobalId('Fulfillment', fulfillment.id),
  status: (fulfillment) => fulfillment.status as FulfillmentShipmentStatus,
};

export const FulfillmentLine: FulfillmentLineResolvers = {
  orderLine: (line, _args, context) => orderLineOf(context, line.orderId, line.orderLineId, line.currencyCode),
};
