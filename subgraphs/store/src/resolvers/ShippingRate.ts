import { keyOrNull, money, toGlobalId } from '@commerce/graphql-kit';
import type { ShippingRateResolvers } from '../__generated__/resolvers-types.js';

export const ShippingRate: ShippingRateResolvers = {
  __resolveReference: (reference, context) => {
    const key = keyOrNull(reference.id, 'ShippingRate');
    return key ? context.loaders.rateById.load(key) : null;
  },
  id: (rate) => toGlobalId('ShippingRate', rate.id),
  price: (rate) => money(rate.price, rate.currencyCode),
  minOrderAmount: (rate) => rate.minOrderAmount && money(rate.minOrderAmount, rate.currencyCode),
  maxOrderAmount: (rate) => rate.maxOrderAmount && money(rate.maxOrderAmount, rate.currencyCode),
  zone: async (rate, _args, context) => {
    const zone = await context.loaders.zoneById.load(rate.zoneId);
    // The foreign key deletes a zone's rates with it, so a rate always has its zone.
    if (!zone) throw new Error(`shipping rate ${rate.id} has no zone ${rate.zoneId}`);
    return zone;
  },
};
