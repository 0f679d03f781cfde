import { keyOrNull } from '@commerce/graphql-kit';
import type { CustomerResolvers } from '../__generated__/resolvers-types.js';
import { customerStatistics, listCustomerOrders } from '../services/order.service.js';

export const Customer: CustomerResolvers = {
  // The customer subgraph has resolved the customer in the request's store; its orders are read here.
  __resolveReference: (reference) => (keyOrNull(reference.id, 'Customer') ? { id: reference.id } : null),
  orders: (customer, args, context) => listCustomerOrders(context, customer.id, args),
  ordersCount: async (customer, _args, context) => (await customerStatistics(context, customer.id)).ordersCount,
  totalSpent: async (customer, _args, context) => (await customerStatistics(context, customer.id)).totalSpent,
  averageOrderValue: async (customer, _args, context) =>
    (await customerStatistics(context, customer.id)).averageOrderValue,
  lastOrderAt: async (customer, _args, context) => (await customerStatistics(context, customer.id)).lastOrderAt,
};
