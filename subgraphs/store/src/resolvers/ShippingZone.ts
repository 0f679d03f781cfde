import { keyOrNull, toGlobalId } from '@commerce/graphql-kit';
import type { ShippingZoneResolvers } from '../__generated__/resolvers-types.js';

export const ShippingZone: ShippingZoneResolvers = {
  __resolveReference: (reference, context) => {
    const key = keyOrNull(reference.id, 'ShippingZone');
    return key ? context.loaders.zoneById.load(key) : null;
  },
  id: (zone) => toGlobalId('ShippingZone', zone.id),
  rates: (zone, _args, context) => context.loaders.ratesByZone.load(zone.id),
};
