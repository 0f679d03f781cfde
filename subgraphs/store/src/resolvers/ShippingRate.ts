import { keyOrNull, money, requireStore, toGlobalId } from '@commerce/graphql-kit';
import type { ShippingRateResolvers } from '../__generated__/resolvers-types.js';

export const ShippingRate: ShippingRateResolvers = {
  __resolveReference: (reference, context) => {
    const key = keyOrNull(reference.id, 'ShippingRate');
    return key ? context.loaders.rateById.load(key) : null;
  },
  id: (rate) => toGlobalId('ShippingRate', rate.id),
  // Rates are read only in their store's requests (row-level security), whose currency they are in.
  price: (rate, _args, context) => money(rate.price, requireStore(context).currencyCode),
  minOrderAmount: (rate, _args, context) => rate.minOrderAmount && money(rate.minOrderAmount, requireStore(context).currencyCode),
  maxOrderAmount: (rate, _args, context) => rate.maxOrderAmount && money(rate.maxOrderAmount, requireStore(context).currencyCode),
  zone: async (rate, _args, context) => {
    const zone = await context.loaders.zoneById.load(rate.zoneId);
    // The foreign key deletes a zone's rates with it, so a rate always has its zone.
    if (!zone) throw new Error(`shipping rate ${rate.id} has no zone ${rate.zoneId}`);
    return zone;
  },
};
