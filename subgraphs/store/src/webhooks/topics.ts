// Which outbox events each webhook topic is sent, and how an event appears in a payload. Returns
// and reviews have no event type of their own in payloads yet: they arrive as GenericWebhookEvent
// (topic, sequence, store), whose subjectId is the return's or review's id.
import type { WebhookTopic } from '../__generated__/resolvers-types.js';

export type { WebhookTopic } from '../__generated__/resolvers-types.js';

/** Every topic, in the schema's order. */
export const WEBHOOK_TOPICS: readonly WebhookTopic[] = [
  'ORDER_CREATED',
  'ORDER_PAID',
  'ORDER_CANCELLED',
  'ORDER_FULFILLED',
  'ORDER_REFUNDED',
  'RETURN_REQUESTED',
  'PRODUCT_CREATED',
  'PRODUCT_UPDATED',
  'PRODUCT_DELETED',
  'INVENTORY_UPDATED',
  'CUSTOMER_CREATED',
  'CUSTOMER_UPDATED',
  'REVIEW_CREATED',
];

/** The outbox event type each topic is sent for. */
export const TOPIC_EVENT_TYPES: Readonly<Record<WebhookTopic, string>> = {
  ORDER_CREATED: 'order.created',
  ORDER_PAID: 'order.paid',
  ORDER_CANCELLED: 'order.cancelled',
  ORDER_FULFILLED: 'order.fulfilled',
  ORDER_REFUNDED: 'order.refunded',
  RETURN_REQUESTED: 'return.requested',
  PRODUCT_CREATED: 'product.created',
  PRODUCT_UPDATED: 'product.updated',
  PRODUCT_DELETED: 'product.deleted',
  INVENTORY_UPDATED: 'inventory.updated',
  CUSTOMER_CREATED: 'customer.created',
  CUSTOMER_UPDATED: 'customer.updated',
  REVIEW_CREATED: 'review.created',
};

const TOPIC_OF_EVENT_TYPE = new Map<string, WebhookTopic>(
  Object.entries(TOPIC_EVENT_TYPES).map(([topic, type]) => [type, topic as WebhookTopic]),
);

/** The topic an outbox event is sent under; null when no topic sends it (carts, categories, …). */
export function topicOfEventType(type: string): WebhookTopic | null {
  return TOPIC_OF_EVENT_TYPE.get(type) ?? null;
}

/** The outbox event types any of these topics are sent for. */
export function eventTypesOf(topics: readonly string[]): string[] {
  return topics.flatMap((topic) => TOPIC_EVENT_TYPES[topic as WebhookTopic] ?? []);
}

/** The WebhookEvent type a topic's payload is (the schema's implementations of WebhookEvent). */
export function webhookEventTypeName(topic: WebhookTopic | null): string {
  if (topic === null) return 'GenericWebhookEvent';
  if (topic.startsWith('ORDER_')) return 'OrderWebhookEvent';
  if (topic.startsWith('PRODUCT_')) return 'ProductWebhookEvent';
  if (topic === 'INVENTORY_UPDATED') return 'InventoryWebhookEvent';
  if (topic.startsWith('CUSTOMER_')) return 'CustomerWebhookEvent';
  return 'GenericWebhookEvent';
}
