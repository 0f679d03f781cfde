import { keyOrNull } from '@commerce/graphql-kit';
import type { CustomerResolvers } from '../__generated__/resolvers-types.js';
import { listCustomerOrders } from '../services/order.service.js';

export const Customer: CustomerResolvers = {
  // The customer subgraph has resolved the customer in the request's store; its orders are read here.
  __resolveReference: (reference) => (keyOrNull(reference.id, 'Customer') ? { id: reference.id } : null),
  orders: (customer, args, context) => listCustomerOrders(context, customer.id, args),
};
