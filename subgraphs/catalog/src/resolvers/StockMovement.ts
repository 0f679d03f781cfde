import { toGlobalId } from '@commerce/graphql-kit';
import type { StockMovementResolvers } from '../__generated__/resolvers-types.js';
import { locationOf } from '../services/location.service.js';
import { variantOf } from '../services/product-read.service.js';
import { callerIdempotencyKey } from '../services/stock-change.service.js';

export const StockMovement: StockMovementResolvers = {
  id: (movement) => toGlobalId('StockMovement', movement.id),
  variant: (movement, _args, context) => variantOf(context, movement.variantId),
  location: (movement, _args, context) => locationOf(context, movement.locationId),
  staffSellerId: (movement) =>
    movement.actorType === 'staff' && movement.actorId !== null ? toGlobalId('Seller', movement.actorId) : null,
  appId: (movement) =>
    movement.actorType === 'app' && movement.actorId !== null ? toGlobalId('App', movement.actorId) : null,
  idempotencyKey: (movement) => callerIdempotencyKey(movement),
};
