// Webhook payloads, resolved the way real-time subscription payloads are: the webhook's
// subscription document runs over the gateway's subscription schema with the event as its root,
// and every entity in it (order, product, store, …) is read through the gateway with the webhook
// owner's own credentials. So a payload holds fields of every subgraph, and only those the owner
// could query over HTTP.
import { appAccessToken, issueAccessToken } from '@commerce/auth';
import type { PrismaClient } from '@commerce/database';
import type { PayloadRequest, PayloadResolver } from '@commerce/store/webhooks';
import { webhookEventTypeName } from '@commerce/store/webhooks';
import { execute, parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import type { SubscriptionContext, SubscriptionServices } from '../subscriptions/context.js';
import type { WebhookEventSource } from '../subscriptions/fields/webhook-event.js';
import type { Subscriber } from '../subscriptions/subscriber.js';

/** How long a credential minted for an owner lives; it is reused for half of that. */
const CREDENTIAL_SECONDS = 300;

/** Thrown for a webhook whose owner cannot act any more (no staff member, no app credential). */
export class WebhookOwnerError extends Error {}

/** Short-lived credentials of webhook owners, reused while more than half their life is left. */
class OwnerCredentials {
  private readonly minted = new Map<string, { authorization: Promise<string>; renewAt: number }>();

  forSeller(sellerId: string): Promise<string> {
    const now = Date.now();
    const cached = this.minted.get(sellerId);
    if (cached && cached.renewAt > now) return cached.authorization;
    const authorization = issueAccessToken({ kind: 'seller', sellerId }, CREDENTIAL_SECONDS).then(
      (token) => `Bearer ${token}`,
    );
    this.minted.set(sellerId, { authorization, renewAt: now + (CREDENTIAL_SECONDS * 1_000) / 2 });
    authorization.catch(() => this.minted.delete(sellerId));
    return authorization;
  }
}

/**
 * The Authorization of an app that owns a webhook: a short-lived credential with exactly the app's
 * permissions in its store (the app's own token is kept only as a hash).
 */
async function appCredential(prisma: PrismaClient, storeId: string, appId: string): Promise<string> {
  const token = await appAccessToken(prisma, storeId, appId);
  if (!token) throw new WebhookOwnerError(`The app ${appId} that owns the webhook was deleted or turned off.`);
  return `Bearer ${token}`;
}

/** The Authorization a webhook's payload is read with: its app's, or else its creator's. */
async function ownerAuthorization(
  credentials: OwnerCredentials,
  prisma: PrismaClient,
  storeId: string,
  webhook: PayloadRequest['webhook'],
): Promise<string> {
  if (webhook.appId) return appCredential(prisma, storeId, webhook.appId);
  if (webhook.createdBySellerId) return credentials.forSeller(webhook.createdBySellerId);
  throw new WebhookOwnerError('The webhook has no owner any more (its creator was deleted); delete it or recreate it.');
}

/** Builds the payload resolver of a gateway process: the body of a delivery as JSON text. */
export function webhookPayloadResolver(schema: GraphQLSchema, services: SubscriptionServices): PayloadResolver {
  const credentials = new OwnerCredentials();
  const documents = new Map<string, DocumentNode>();
  return async ({ storeId, webhook, delivery }) => {
    let document = documents.get(webhook.query);
    if (!document) {
      document = parse(webhook.query);
      if (documents.size > 10_000) documents.clear();
      documents.set(webhook.query, document);
    }
    const authorization = await ownerAuthorization(credentials, services.database.prisma, storeId, webhook);
    const subscriber: Subscriber = {
      authorization,
      store: storeId,
      host: null,
      viewer: { kind: 'anonymous' },
      storeId,
      clientKey: `webhook:${webhook.id}`,
    };
    const event: WebhookEventSource = {
      __typename: webhookEventTypeName(delivery.topic),
      topic: delivery.topic,
      sequence: delivery.eventSequence,
      occurredAt: delivery.occurredAt,
      storeId,
      aggregateType: delivery.aggregateType,
      aggregateId: delivery.aggregateId,
    };
    const context: SubscriptionContext = { subscriber, services, shareKey: null };
    const result = await execute({ schema, document, rootValue: { webhookEvent: event }, contextValue: context });
    const data = (result.data as { webhookEvent?: unknown } | null | undefined)?.webhookEvent ?? null;
    if (data === null && result.errors?.length) throw result.errors[0];
    return JSON.stringify({
      type: delivery.topic ?? 'PING',
      timestamp: delivery.occurredAt.toISOString(),
      data,
      ...(result.errors?.length
        ? {
            errors: result.errors.map((error) => ({
              message: error.message,
              path: error.path,
              extensions: error.extensions,
            })),
          }
        : {}),
    });
  };
}
