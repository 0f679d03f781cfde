// The mail outbox (DESIGN §14): a mail is a MailMessage row written in the transaction of the
// change that causes it, so that it commits with that change or not at all, and the mail sender
// (sender.ts) delivers it afterwards, retrying until the SMTP server takes it. A crash between
// the commit and the delivery delays the mail; it never loses it.
//
// Two kinds of rows:
// - account mails (verification, password reset, staff invitations) are rendered when written:
//   their links carry tokens that the database keeps only hashed;
// - buyer notifications store their kind and the ids they are about, and are rendered when sent,
//   from the order as it is then, in the store's language and branding (buyer-notifications.ts);
//   so is the new-product mail to a store's followers (new-product-notification.ts).
import { afterCommit, Prisma, type PrismaClient, type RawSql } from '@commerce/database';
import type { OutgoingMail } from './mailer.js';

/** The mails a store sends its buyers about their orders, and its followers about new products; each can be turned off per store. */
export const BUYER_NOTIFICATION_KINDS = [
  'ORDER_CONFIRMATION',
  'PAYMENT_RECEIVED',
  'SHIPPING_CONFIRMATION',
  'ORDER_CANCELLED',
  'REFUND',
  'RETURN_REQUESTED',
  'RETURN_APPROVED',
  'RETURN_DECLINED',
  'RETURN_RECEIVED',
  'RETURN_CLOSED',
  'NEW_PRODUCT',
] as const;

export type BuyerNotificationKind = (typeof BUYER_NOTIFICATION_KINDS)[number];

/** The buyer notifications about an order (all but the followers' NEW_PRODUCT). */
export type OrderNotificationKind = Exclude<BuyerNotificationKind, 'NEW_PRODUCT'>;

/** What a buyer notification is about: the order, and the shipment or refund it tells of. */
export interface BuyerNotificationData {
  orderId: string;
  fulfillmentId?: string;
  refundId?: string;
  returnId?: string;
}

/** A buyer notification to write in the causing transaction. */
export interface BuyerNotification {
  storeId: string;
  kind: OrderNotificationKind;
  /** The buyer's address (the order's email). */
  to: string;
  data: BuyerNotificationData;
}

/** Senders of this process, by the database handle they read from. */
const localSenders = new Map<PrismaClient, Set<() => void>>();

/** Calls `wake` after each commit through `prisma` in this process that wrote mail; returns the function that stops it. */
export function wakeOnMailCommit(prisma: PrismaClient, wake: () => void): () => void {
  let wakes = localSenders.get(prisma);
  if (!wakes) {
    wakes = new Set();
    localSenders.set(prisma, wakes);
  }
  wakes.add(wake);
  const added = wakes;
  return () => {
    added.delete(wake);
    if (added.size === 0 && localSenders.get(prisma) === added) localSenders.delete(prisma);
  };
}

function wakeSenders(prisma: PrismaClient): void {
  // A process without a sender of its own (a worker that does not run the background work)
  // leaves the mail to the senders' next poll.
  for (const wake of localSenders.get(prisma) ?? []) wake();
}

/** Marks a transaction (of inScope or inScopeSql) as having written mail: senders are woken once it commits. */
export function noteMailWrite(tx: object): void {
  afterCommit(tx, wakeSenders);
}

/** An account mail, rendered, with the key that makes it unique in its store (if any). */
export interface QueuedMail extends OutgoingMail {
  idempotencyKey?: string | null;
}

/**
 * Writes an account mail (already rendered) to the outbox in the transaction `tx`, which must be
 * in the mail's store. It is sent once the transaction commits.
 */
export async function queueMail(tx: RawSql, mail: QueuedMail): Promise<void> {
  await tx.$queryRaw`
    INSERT INTO "MailMessage" ("storeId", "kind", "to", "fromName", "subject", "text", "html", "idempotencyKey")
    VALUES (${mail.storeId}::uuid, 'ACCOUNT', ${mail.to}, ${mail.fromName}, ${mail.subject}, ${mail.text}, ${mail.html}, ${mail.idempotencyKey ?? null})
    ON CONFLICT ("storeId", "idempotencyKey") DO NOTHING
    RETURNING "id"`;
  noteMailWrite(tx);
}

/** The key that makes a buyer notification unique: one per kind and cause. */
export function buyerNotificationKey(notification: Pick<BuyerNotification, 'kind' | 'data'>): string {
  const { data } = notification;
  return `${notification.kind}:${data.fulfillmentId ?? data.refundId ?? data.returnId ?? data.orderId}`;
}

/**
 * The statement that writes a buyer notification, for a caller that sends it inside a statement
 * of its own (checkout's single statement): nothing when the store turned the kind off, or when
 * this cause already has its mail. Registers the wake-up of the senders with `tx`.
 */
export function buyerNotificationSql(tx: object, notification: BuyerNotification): Prisma.Sql {
  noteMailWrite(tx);
  const { storeId, kind, to, data } = notification;
  return Prisma.sql`
    INSERT INTO "MailMessage" ("storeId", "kind", "to", "fromName", "data", "idempotencyKey")
    SELECT s."id", ${kind}, ${to}, s."name", ${JSON.stringify(data)}::jsonb, ${buyerNotificationKey(notification)}
    FROM "Store" s
    WHERE s."id" = ${storeId}::uuid AND NOT (${kind} = ANY(coalesce(s."disabledBuyerNotifications", ARRAY[]::text[])))
    ON CONFLICT ("storeId", "idempotencyKey") DO NOTHING
    RETURNING "id"`;
}

/**
 * The statement that writes a new-product mail to each of `followers` (a query of "storeId",
 * "productId", "customerId" and "email" rows of the store), in one INSERT … SELECT however many
 * they are: nothing when the store turned NEW_PRODUCT off, and nothing twice for a product and
 * follower (idempotencyKey NEW_PRODUCT:<product id>:<customer id>). It returns one row per mail
 * written. Registers the wake-up of the senders with `tx`.
 */
export function newProductMailsSql(
  tx: object,
  mail: { storeId: string; storefrontUrl: string | null; followers: Prisma.Sql },
): Prisma.Sql {
  noteMailWrite(tx);
  const kind: BuyerNotificationKind = 'NEW_PRODUCT';
  return Prisma.sql`
    INSERT INTO "MailMessage" ("storeId", "kind", "to", "fromName", "data", "idempotencyKey")
    SELECT s."id", ${kind}, f."email", s."name",
           jsonb_build_object('productId', f."productId"::text, 'customerId', f."customerId"::text,
                              'storefrontUrl', ${mail.storefrontUrl}::text),
           ${kind} || ':' || f."productId"::text || ':' || f."customerId"::text
    FROM (${mail.followers}) f
    JOIN "Store" s ON s."id" = f."storeId"
    WHERE s."id" = ${mail.storeId}::uuid AND NOT (${kind} = ANY(coalesce(s."disabledBuyerNotifications", ARRAY[]::text[])))
    ON CONFLICT ("storeId", "idempotencyKey") DO NOTHING
    RETURNING 1`;
}

/**
 * Writes a buyer notification to the outbox in the transaction that causes it (unless the store
 * turned it off). The one way order changes mail their buyers.
 */
export async function queueBuyerNotification(tx: RawSql, notification: BuyerNotification): Promise<void> {
  await tx.$queryRaw(buyerNotificationSql(tx, notification));
}
