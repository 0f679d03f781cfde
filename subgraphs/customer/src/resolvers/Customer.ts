import { toGlobalId } from '@commerce/graphql-kit';
import type { CustomerResolvers } from '../__generated__/resolvers-types.js';
import { defaultAddress, displayName, findVisibleCustomer } from '../services/customer.service.js';

export const Customer: CustomerResolvers = {
  __resolveReference: (reference, context) => findVisibleCustomer(context, reference.id),
  id: (customer) => toGlobalId('Customer', customer.id),
  displayName: (customer) => displayName(customer),
  emailVerified: (customer) => customer.emailVerifiedAt !== null,
  addresses: (customer, _args, context) => context.loaders.addressesByCustomer.load(customer.id),
  defaultAddress: (customer, _args, context) => defaultAddress(context, customer),
};
