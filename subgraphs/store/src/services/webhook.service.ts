import type { Prisma, Transaction, Webhook, WebhookDelivery, WebhookDeliveryAttempt } from '@commerce/database';
import {
  InputErrors,
  keyOf,
  keyOrNull,
  notFound,
  prismaConnection,
  prismaSortKey,
  requireStaffPermission,
  toGlobalId,
  type Connection,
  type PageArgs,
  type RequestContext,
  type UserError,
  userError,
} from '@commerce/graphql-kit';
import type {
  WebhookCreateInput,
  WebhookDeliveryFilter,
  WebhookErrorCode,
  WebhookUpdateInput,
} from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { newWebhookSecret } from '../webhooks/signing.js';
import { checkedAddresses, readTarget, TargetNotAllowedError } from '../webhooks/target-guard.js';
import { WEBHOOK_TOPICS } from '../webhooks/topics.js';
import { requireRequestStore } from './store-access.js';
import { webhookDocumentProblem } from './webhook-document.js';

/** The permission that manages webhooks, as it manages apps (webhooks deliver to other systems). */
const WEBHOOK_PERMISSION = 'MANAGE_APPS';

/** Webhooks one store may have. */
export const MAX_WEBHOOKS_PER_STORE = 100;

type Errors = InputErrors<WebhookErrorCode>;

export interface WebhookResult {
  webhook: Webhook | null;
  secret?: string | null;
  userErrors: UserError<WebhookErrorCode>[];
}

export interface WebhookDeliveryResult {
  delivery: WebhookDelivery | null;
  userErrors: UserError<WebhookErrorCode>[];
}

/** Staff who may manage the request's store's webhooks (people only, as for apps: FORBIDDEN for apps). */
export function requireWebhookManager(context: RequestContext) {
  return requireStaffPermission(context, WEBHOOK_PERMISSION);
}

async function readUrl(context: SubgraphContext, errors: Errors, text: string): Promise<string | null> {
  const field = ['input', 'url'];
  if (text.trim() === '') {
    errors.add(field, 'Give the URL to send events to.', 'BLANK');
    return null;
  }
  if (text.length > 2_000) {
    errors.add(field, 'Use at most 2000 characters.', 'TOO_LONG');
    return null;
  }
  try {
    const target = readTarget(text, context.settings.webhooks);
    await checkedAddresses(target, context.settings.webhooks, context.webhookResolver);
    return target.url.toString();
  } catch (error) {
    if (!(error instanceof TargetNotAllowedError)) throw error;
    errors.add(field, error.message, 'URL_NOT_ALLOWED');
    return null;
  }
}

function readTopics(errors: Errors, topics: readonly string[]): string[] {
  const chosen = WEBHOOK_TOPICS.filter((topic) => topics.includes(topic));
  if (chosen.length === 0) errors.add(['input', 'topics'], 'Choose at least one topic.', 'BLANK');
  return chosen;
}

function readDocument(errors: Errors, query: string): string {
  if (query.trim() === '') errors.add(['input', 'query'], 'Give the subscription document of the payload.', 'BLANK');
  else {
    const problem = webhookDocumentProblem(query);
    if (problem) errors.add(['input', 'query'], problem, 'INVALID_QUERY');
  }
  return query;
}

/** Creates a webhook owned by the calling staff member, or by the app given; its secret is in this answer only. */
export async function createWebhook(context: SubgraphContext, input: WebhookCreateInput): Promise<WebhookResult> {
  const { storeId, sellerId } = await requireWebhookManager(context);
  const errors: Errors = new InputErrors<WebhookErrorCode>();
  const url = await readUrl(context, errors, input.url);
  const topics = readTopics(errors, input.topics);
  const query = readDocument(errors, input.query);
  const appId = input.appId == null ? null : keyOrNull(input.appId, 'App');
  if (input.appId != null && appId === null) errors.add(['input', 'appId'], `"${input.appId}" is not an App id.`);
  if (input.isActive === null)
    errors.add(['input', 'isActive'], 'Give true or false, or leave the field out.', 'BLANK');
  if (!errors.ok || !url) return { webhook: null, secret: null, userErrors: errors.errors };
  const secret = newWebhookSecret();
  return context.db.transaction(async (tx): Promise<WebhookResult> => {
    // Creations of a store take turns, so that the limit holds.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`webhooks:${storeId}`}, 0))`;
    if ((await tx.webhook.count({ where: { storeId } })) >= MAX_WEBHOOKS_PER_STORE) {
      const limit = `A store has at most ${MAX_WEBHOOKS_PER_STORE} webhooks; delete one first.`;
      return { webhook: null, secret: null, userErrors: [userError(null, limit, 'LIMIT_REACHED')] };
    }
    if (appId && !(await tx.app.findUnique({ where: { storeId_id: { storeId, id: appId } }, select: { id: true } }))) {
      const unknown = `No app "${input.appId}" in this store; payloads are read with the owning app's permissions.`;
      return { webhook: null, secret: null, userErrors: [userError(['input', 'appId'], unknown, 'INVALID')] };
    }
    const [counter] = await tx.$queryRaw<{ lastEventSequence: bigint }[]>`
      SELECT "lastEventSequence" FROM "StoreCounter" WHERE "storeId" = ${storeId}::uuid`;
    const fromSequence = counter?.lastEventSequence ?? 0n;
    const webhook = await tx.webhook.create({
      data: {
        storeId,
        url,
        topics,
        query,
        isActive: input.isActive ?? true,
        appId,
        createdBySellerId: appId ? null : sellerId,
        secret,
        fromSequence,
      },
    });
    await startCursor(tx, storeId, fromSequence);
    return { webhook, secret, userErrors: [] };
  });
}

/** The store's webhook cursor starts at the first webhook's creation: earlier events are no one's. */
async function startCursor(tx: Transaction, storeId: string, sequence: bigint): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "WebhookCursor" ("storeId", "lastSequence") VALUES (${storeId}::uuid, ${sequence})
    ON CONFLICT ("storeId") DO NOTHING`;
}

async function findWebhook(tx: Transaction, storeId: string, id: string, field: string[]): Promise<Webhook> {
  const key = keyOf(id, 'Webhook', field);
  const webhook = await tx.webhook.findUnique({ where: { storeId_id: { storeId, id: key } } });
  if (!webhook) throw notFound(`Webhook "${id}"`);
  return webhook;
}

/** Changes a webhook; rotateSecret starts a new secret while the old one signs too for the overlap. */
export async function updateWebhook(context: SubgraphContext, input: WebhookUpdateInput): Promise<WebhookResult> {
  const { storeId } = await requireWebhookManager(context);
  const errors: Errors = new InputErrors<WebhookErrorCode>();
  for (const name of ['url', 'topics', 'query', 'isActive', 'rotateSecret'] as const)
    if (input[name] === null) errors.add(['input', name], 'Give a value or leave the field out.', 'BLANK');
  const url = input.url == null ? undefined : await readUrl(context, errors, input.url);
  const topics = input.topics == null ? undefined : readTopics(errors, input.topics);
  const query = input.query == null ? undefined : readDocument(errors, input.query);
  if (!errors.ok) return { webhook: null, secret: null, userErrors: errors.errors };
  const secret = input.rotateSecret ? newWebhookSecret() : null;
  return context.db.transaction(async (tx): Promise<WebhookResult> => {
    const current = await findWebhook(tx, storeId, input.id, ['input', 'id']);
    const data: Prisma.WebhookUpdateInput = {};
    if (url) data.url = url;
    if (topics) data.topics = topics;
    if (query !== undefined) data.query = query;
    if (input.isActive != null) {
      data.isActive = input.isActive;
      if (input.isActive) {
        data.disabledReason = null;
        data.disabledAt = null;
      }
    }
    if (secret) {
      const now = new Date();
      data.previousSecret = current.secret;
      data.previousSecretExpiresAt = new Date(now.getTime() + context.settings.webhooks.secretOverlapMs);
      data.secret = secret;
      data.secretCreatedAt = now;
    }
    const webhook = await tx.webhook.update({ where: { storeId_id: { storeId, id: current.id } }, data });
    return { webhook, secret, userErrors: [] };
  });
}

/** Deletes a webhook with its deliveries. */
export async function deleteWebhook(
  context: SubgraphContext,
  input: { id: string },
): Promise<{ deletedWebhookId: string | null; userErrors: UserError<WebhookErrorCode>[] }> {
  const { storeId } = await requireWebhookManager(context);
  return context.db.transaction(async (tx) => {
    const webhook = await findWebhook(tx, storeId, input.id, ['input', 'id']);
    await tx.webhook.delete({ where: { storeId_id: { storeId, id: webhook.id } } });
    return { deletedWebhookId: toGlobalId('Webhook', webhook.id), userErrors: [] };
  });
}

/** Makes a delivery due now, with a new retry window: a given-up one, or one waiting for its next attempt. */
export async function retryDelivery(context: SubgraphContext, deliveryId: string): Promise<WebhookDeliveryResult> {
  const { storeId } = await requireWebhookManager(context);
  const key = keyOf(deliveryId, 'WebhookDelivery', ['deliveryId']);
  return context.db.transaction(async (tx): Promise<WebhookDeliveryResult> => {
    const delivery = await tx.webhookDelivery.findUnique({
      where: { storeId_id: { storeId, id: key } },
      include: { webhook: { select: { isActive: true } } },
    });
    if (!delivery) throw notFound(`Webhook delivery "${deliveryId}"`);
    const errors: Errors = new InputErrors<WebhookErrorCode>();
    if (delivery.status === 'SUCCEEDED')
      errors.add(['deliveryId'], 'The delivery succeeded already.', 'ALREADY_DELIVERED');
    else if (!delivery.webhook.isActive)
      errors.add(
        ['deliveryId'],
        'The webhook is turned off: turn it on (webhookUpdate, isActive) first.',
        'WEBHOOK_INACTIVE',
      );
    if (!errors.ok) return { delivery: null, userErrors: errors.errors };
    const now = new Date();
    const updated = await tx.webhookDelivery.update({
      where: { storeId_id: { storeId, id: key } },
      data: { status: 'PENDING', nextAttemptAt: now, retryingSince: now, leasedUntil: null },
    });
    return { delivery: updated, userErrors: [] };
  });
}

/** Queues a PING delivery to a webhook, due now (sent once, never retried). */
export async function pingWebhook(context: SubgraphContext, webhookId: string): Promise<WebhookDeliveryResult> {
  const { storeId } = await requireWebhookManager(context);
  return context.db.transaction(async (tx): Promise<WebhookDeliveryResult> => {
    const webhook = await findWebhook(tx, storeId, webhookId, ['webhookId']);
    if (!webhook.isActive)
      return {
        delivery: null,
        userErrors: new InputErrors<WebhookErrorCode>().add(
          ['webhookId'],
          'The webhook is turned off: turn it on (webhookUpdate, isActive) first.',
          'WEBHOOK_INACTIVE',
        ).errors,
      };
    const delivery = await tx.webhookDelivery.create({
      data: {
        storeId,
        webhookId: webhook.id,
        topic: null,
        eventSequence: null,
        eventType: 'webhook.ping',
        aggregateType: 'Webhook',
        aggregateId: webhook.id,
        occurredAt: new Date(),
      },
    });
    return { delivery, userErrors: [] };
  });
}

/** The store's webhooks, for staff who manage them, in a request for the store. */
export async function storeWebhooks(context: SubgraphContext, storeId: string): Promise<Webhook[]> {
  requireRequestStore(context, storeId);
  await requireWebhookManager(context);
  return context.db.read((tx) =>
    tx.webhook.findMany({ where: { storeId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
  );
}

/** A webhook by global id (node), for staff who manage webhooks; null otherwise. */
export async function visibleWebhook(context: SubgraphContext, key: string): Promise<Webhook | null> {
  if (!context.store) return null;
  await requireWebhookManager(context);
  return context.loaders.webhookById.load(key);
}

/** A delivery by global id (node), for staff who manage webhooks; null otherwise. */
export async function visibleDelivery(context: SubgraphContext, key: string): Promise<WebhookDelivery | null> {
  if (!context.store) return null;
  await requireWebhookManager(context);
  return context.loaders.webhookDeliveryById.load(key);
}

const DELIVERY_ORDER = prismaSortKey({
  field: 'createdAt',
  kind: 'date',
  value: (delivery: WebhookDelivery) => delivery.createdAt,
  descending: true,
});

/** A page of a webhook's deliveries, newest first, optionally of one status. */
export async function webhookDeliveries(
  context: SubgraphContext,
  webhook: Webhook,
  args: PageArgs & { filter?: WebhookDeliveryFilter | null },
): Promise<Connection<WebhookDelivery>> {
  await requireWebhookManager(context);
  const where: Prisma.WebhookDeliveryWhereInput = {
    storeId: webhook.storeId,
    webhookId: webhook.id,
    ...(args.filter?.status ? { status: args.filter.status } : {}),
  };
  return prismaConnection({
    args,
    sort: DELIVERY_ORDER,
    fetch: (page) => context.db.read((tx) => tx.webhookDelivery.findMany(page.findManyArgs(where))),
    count: () => context.db.read((tx) => tx.webhookDelivery.count({ where })),
  });
}

/** A delivery's attempts, oldest first (one statement for a page of deliveries). */
export function deliveryAttempts(
  context: SubgraphContext,
  delivery: WebhookDelivery,
): Promise<WebhookDeliveryAttempt[]> {
  return context.loaders.attemptsByDelivery.load(delivery.id);
}
