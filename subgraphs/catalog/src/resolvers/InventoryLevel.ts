import { toGlobalId } from '@commerce/graphql-kit';
import type { InventoryLevelResolvers } from '../__generated__/resolvers-types.js';
import { locationOf } from '../services/location.service.js';
import { variantOf } from '../services/product-read.service.js';

export const InventoryLevel: InventoryLevelResolvers = {
  id: (level) => toGlobalId('InventoryLevel', level.id),
  location: (level, _args, context) => locationOf(context, level.locationId),
  variant: (level, _args, context) => variantOf(context, level.variantId),
  onHand: (level) => level.available + level.committed,
};
