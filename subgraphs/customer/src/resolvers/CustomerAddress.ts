import { toGlobalId } from '@commerce/graphql-kit';
import type { CustomerAddressResolvers } from '../__generated__/resolvers-types.js';

export const CustomerAddress: CustomerAddressResolvers = {
  id: (address) => toGlobalId('CustomerAddress', address.id),
};
