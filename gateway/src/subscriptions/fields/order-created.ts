import type { StoreEvent } from '@commerce/events';
import { requirePermission, toGlobalId } from '@commerce/graphql-kit';
import type { GraphQLFieldConfig, GraphQLResolveInfo } from 'graphql';
import type { SubscriptionContext } from '../context.js';
import { resolveEntity } from '../entity-resolution.js';
import { subscriberRequestContext } from '../subscriber.js';
import { eventFields, payloadOf, subscribeToStoreEvents } from './event-stream.js';

interface OrderCreatedArgs {
  storeId: string;
  afterSequence?: string | null;
}

/** Subscription.orderCreated: the store's new orders, for its staff with MANAGE_ORDERS. */
export const orderCreated: Pick<
  GraphQLFieldConfig<unknown, SubscriptionContext, OrderCreatedArgs>,
  'subscribe' | 'resolve'
> = {
  async subscribe(_root, args, context) {
    const request = await subscriberRequestContext(context.services.database, context.subscriber, args.storeId);
    const { storeId } = await requirePermission(request, 'MANAGE_ORDERS');
    return subscribeToStoreEvents(context, { storeId, afterSequence: args.afterSequence, types: ['order.created'] });
  },
  resolve: (event) => event,
};

/** OrderCreatedEvent's fields; `order` is the client's selection, read through the gateway. */
export const OrderCreatedEvent = {
  ...eventFields,
  order: (event: StoreEvent, _args: unknown, context: SubscriptionContext, info: GraphQLResolveInfo) => {
    const orderId = payloadOf(event).orderId;
    const key = typeof orderId === 'string' && orderId ? orderId : event.aggregateId;
    return resolveEntity(
      {
        typeName: 'Order',
        id: toGlobalId('Order', key),
        store: event.storeId,
        subscriber: context.subscriber,
        execute: context.services.execute,
      },
      info,
    );
  },
};
