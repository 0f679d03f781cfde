import { toGlobalId } from '@commerce/graphql-kit';
import type {
  WebhookDeliveryAttemptResolvers,
  WebhookDeliveryResolvers,
  WebhookResolvers,
  WebhookTopic,
} from '../__generated__/resolvers-types.js';
import { deliveryAttempts, webhookDeliveries } from '../services/webhook.service.js';

export const Webhook: WebhookResolvers = {
  id: (webhook) => toGlobalId('Webhook', webhook.id),
  topics: (webhook) => webhook.topics as WebhookTopic[],
  appId: (webhook) => (webhook.appId ? toGlobalId('App', webhook.appId) : null),
  createdBy: (webhook, _args, context) =>
    webhook.createdBySellerId ? context.loaders.staffMemberBySeller.load(webhook.createdBySellerId) : null,
  deliveries: (webhook, args, context) => webhookDeliveries(context, webhook, args),
};

export const WebhookDelivery: WebhookDeliveryResolvers = {
  id: (delivery) => toGlobalId('WebhookDelivery', delivery.id),
  topic: (delivery) => delivery.topic as WebhookTopic | null,
  status: (delivery) => delivery.status as 'PENDING' | 'SUCCEEDED' | 'FAILED',
  attempts: (delivery, _args, context) => deliveryAttempts(context, delivery),
};

export const WebhookDeliveryAttempt: WebhookDeliveryAttemptResolvers = {};
