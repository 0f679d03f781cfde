import { toGlobalId } from '@commerce/graphql-kit';
import type { OrderActorType, OrderEventResolvers, OrderEventType } from '../__generated__/resolvers-types.js';

export const OrderEvent: OrderEventResolvers = {
  id: (event) => toGlobalId('OrderEvent', event.id),
  type: (event) => event.type as OrderEventType,
  actorType: (event) => event.actorType as OrderActorType,
  actorId: (event) => {
    if (!event.actorId) return null;
    if (event.actorType === 'STAFF') return toGlobalId('Seller', event.actorId);
    if (event.actorType === 'APP') return toGlobalId('App', event.actorId);
    return event.actorType === 'CUSTOMER' ? toGlobalId('Customer', event.actorId) : null;
  },
};
