import { toGlobalId } from '@commerce/graphql-kit';
import type {
  OrderActorType,
  ReturnLineResolvers,
  ReturnReason,
  ReturnResolvers,
  ReturnStatus,
} from '../__generated__/resolvers-types.js';
import { findReturn, orderLineOf, returnOrder, returnRefunds } from '../services/order.service.js';

export const Return: ReturnResolvers = {
  __resolveReference: (reference, context) => findReturn(context, reference.id),
  id: (ret) => toGlobalId('Return', ret.id),
  order: (ret, _args, context) => returnOrder(context, ret),
  status: (ret) => ret.status as ReturnStatus,
  requestedBy: (ret) => ret.requestedByType as OrderActorType,
  refunds: (ret, _args, context) => returnRefunds(context, ret),
};

export const ReturnLine: ReturnLineResolvers = {
  id: (line) => toGlobalId('ReturnLine', line.id),
  orderLine: (line, _args, context) => orderLineOf(context, line.orderId, line.orderLineId, line.currencyCode),
  reason: (line) => line.reason as ReturnReason,
  writtenOffQuantity: (line) => line.receivedQuantity - line.restockedQuantity,
};
