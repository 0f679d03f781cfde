import { toGlobalId } from '@commerce/graphql-kit';
import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { SubscriptionContext } from '../context.js';
import { EntityNotVisibleError, resolveEntity } from '../entity-resolution.js';

/** The event a webhook payload is resolved from (the root value of its subscription document). */
export interface WebhookEventSource {
  __typename: string;
  topic: string | null;
  sequence: bigint | null;
  occurredAt: Date;
  storeId: string;
  aggregateType: string;
  aggregateId: string;
}

/** Subscription.webhookEvent: resolved for webhooks only (their payloads); graphql-ws clients are refused. */
export const webhookEvent = {
  subscribe() {
    throw new GraphQLError(
      'webhookEvent selects webhook payloads (webhookCreate); subscribe to orderCreated or inventoryUpdated instead.',
      { extensions: { code: 'BAD_REQUEST' } },
    );
  },
  resolve: (root: { webhookEvent?: WebhookEventSource }) => root.webhookEvent,
};

/** An entity of the event, read through the gateway with the webhook owner's access; null when they cannot see it (or it is gone). */
function entity(typeName: string, key: (event: WebhookEventSource) => string) {
  return async (event: WebhookEventSource, _args: unknown, context: SubscriptionContext, info: GraphQLResolveInfo) => {
    try {
      return await resolveEntity(
        {
          typeName,
          id: toGlobalId(typeName, key(event)),
          store: event.storeId,
          subscriber: context.subscriber,
          execute: context.services.execute,
        },
        info,
      );
    } catch (error) {
      if (error instanceof EntityNotVisibleError) return null;
      throw error;
    }
  };
}

const common = {
  sequence: (event: WebhookEventSource) => event.sequence?.toString() ?? null,
  occurredAt: (event: WebhookEventSource) => event.occurredAt.toISOString(),
  store: entity('Store', (event) => event.storeId),
};

/** The resolvers of WebhookEvent's implementations, by type name. */
export const WEBHOOK_EVENT_TYPES = {
  OrderWebhookEvent: { ...common, order: entity('Order', (event) => event.aggregateId) },
  ProductWebhookEvent: {
    ...common,
    productId: (event: WebhookEventSource) => toGlobalId('Product', event.aggregateId),
    product: entity('Product', (event) => event.aggregateId),
  },
  InventoryWebhookEvent: { ...common, variant: entity('ProductVariant', (event) => event.aggregateId) },
  CustomerWebhookEvent: { ...common, customer: entity('Customer', (event) => event.aggregateId) },
  GenericWebhookEvent: {
    ...common,
    subjectId: (event: WebhookEventSource) => toGlobalId(event.aggregateType, event.aggregateId),
  },
};
