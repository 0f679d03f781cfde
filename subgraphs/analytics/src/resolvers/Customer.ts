import { money } from '@commerce/graphql-kit';
import type { CustomerLifetimeResolvers, CustomerResolvers } from '../__generated__/resolvers-types.js';
import { customerLifetime } from '../services/analytics.service.js';

export const Customer: CustomerResolvers = {
  // The customer subgraph has resolved the customer in the request's store; its figures are read here.
  __resolveReference: (reference) => ({ id: reference.id }),
  lifetime: (customer, _args, context) => customerLifetime(context, customer.id),
};

export const CustomerLifetime: CustomerLifetimeResolvers = {
  netSales: (lifetime) => money(lifetime.netSales, lifetime.currencyCode),
};
