import { toGlobalId } from '@commerce/graphql-kit';
import type { InventoryLocationResolvers } from '../__generated__/resolvers-types.js';
import { findLocation, locationAddress } from '../services/location.service.js';

export const InventoryLocation: InventoryLocationResolvers = {
  __resolveReference: (reference, context) => findLocation(context, reference.id),
  id: (location) => toGlobalId('InventoryLocation', location.id),
  address: (location) => locationAddress(location),
};
