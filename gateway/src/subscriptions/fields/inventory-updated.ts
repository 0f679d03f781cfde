import type { StoreEvent } from '@commerce/events';
import { badUserInput, decodeGlobalId, keyOrNull, notFound, toGlobalId } from '@commerce/graphql-kit';
import type { GraphQLFieldConfig, GraphQLResolveInfo } from 'graphql';
import type { SubscriptionContext } from '../context.js';
import { resolveEntity } from '../entity-resolution.js';
import { toGraphQLError } from '../gateway-executor.js';
import { subscriberHeaders } from '../subscriber.js';
import { eventFields, payloadOf, subscribeToStoreEvents } from './event-stream.js';

interface InventoryUpdatedArgs {
  productId: string;
  afterSequence?: string | null;
}

const PRODUCT_VISIBLE = 'query SubscriptionProductVisible($id: ID!) { store { product(id: $id) { id } } }';

/** A payload reference as a global id of `type`: publishers may write keys or global ids. */
function globalIdOf(type: string, value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  return decodeGlobalId(value)?.type === type ? value : toGlobalId(type, value);
}

/** Subscription.inventoryUpdated: stock changes of a product's variants, for anyone who can see the product. */
export const inventoryUpdated: Pick<
  GraphQLFieldConfig<unknown, SubscriptionContext, InventoryUpdatedArgs>,
  'subscribe' | 'resolve'
> = {
  async subscribe(_root, args, context) {
    const { subscriber, services } = context;
    if (!subscriber.storeId)
      throw badUserInput(
        'Name the store in connectionParams.store (its id or slug), or sign in as one of its customers.',
      );
    const productKey = keyOrNull(args.productId, 'Product');
    if (!productKey) throw notFound(`Product "${args.productId}"`);
    // Visibility is the catalog's rule (e.g. storefronts see ACTIVE products only): ask it, as this subscriber.
    const visible = await services.execute({
      query: PRODUCT_VISIBLE,
      variables: { id: args.productId },
      headers: subscriberHeaders(subscriber, subscriber.storeId),
    });
    const refusal = visible.errors?.[0];
    if (refusal) throw toGraphQLError(refusal);
    const product = (visible.data as { store?: { product?: { id: string } | null } | null } | null | undefined)?.store
      ?.product;
    if (!product) throw notFound(`Product "${args.productId}"`);
    const productGlobalId = toGlobalId('Product', productKey);
    return subscribeToStoreEvents(context, {
      storeId: subscriber.storeId,
      afterSequence: args.afterSequence,
      types: ['inventory.updated'],
      matches: (event) => globalIdOf('Product', payloadOf(event).productId) === productGlobalId,
    });
  },
  resolve: (event) => event,
};

function count(event: StoreEvent, name: string): number {
  const value = payloadOf(event)[name];
  return typeof value === 'number' ? value : Number(value ?? 0);
}

/** InventoryUpdatedEvent's fields; `variant` is the client's selection, read through the gateway. */
export const InventoryUpdatedEvent = {
  ...eventFields,
  variant: (event: StoreEvent, _args: unknown, context: SubscriptionContext, info: GraphQLResolveInfo) => {
    const id =
      globalIdOf('ProductVariant', payloadOf(event).variantId) ?? toGlobalId('ProductVariant', event.aggregateId);
    return resolveEntity(
      {
        typeName: 'ProductVariant',
        id,
        store: event.storeId,
        subscriber: context.subscriber,
        execute: context.services.execute,
      },
      info,
    );
  },
  locationId: (event: StoreEvent) => globalIdOf('InventoryLocation', payloadOf(event).locationId),
  available: (event: StoreEvent) => count(event, 'available'),
  committed: (event: StoreEvent) => count(event, 'committed'),
  onHand: (event: StoreEvent) => count(event, 'onHand'),
  delta: (event: StoreEvent) => count(event, 'delta'),
};
