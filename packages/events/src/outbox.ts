import { Prisma, type RawSql, type Transaction } from '@commerce/database';
import { noteOutboxWrite } from './outbox-wake.js';

/** The events the graph announces (subscriptions, the storefront cache and read models listen to them). */
export type EventType =
  | 'order.created'
  | 'order.refunded'
  | 'order.cancelled'
  | 'order.edited'
  | 'order.paid'
  | 'order.fulfilled'
  | 'customer.created'
  | 'customer.updated'
  | 'order.payment_captured'
  | 'order.payment_voided'
  | 'return.requested'
  | 'return.approved'
  | 'return.declined'
  | 'return.received'
  | 'return.closed'
  | 'cart.created'
  | 'checkout.attempted'
  | 'inventory.updated'
  | 'product.created'
  | 'product.updated'
  | 'product.deleted'
  | 'product.published'
  | 'category.created'
  | 'category.updated'
  | 'category.deleted'
  | 'location.created'
  | 'location.updated'
  | 'review.created'
  | 'review.updated'
  | 'review.deleted'
  | 'question.asked'
  | 'question.updated'
  | 'question.answered'
  | 'store.updated'
  | 'app.updated'
  | 'store.followed'
  | 'store.unfollowed'
  | 'wishlist.item_added'
  | 'loyalty.program_updated'
  | 'loyalty.points_earned'
  | 'loyalty.points_redeemed'
  | 'loyalty.points_reversed'
  | 'loyalty.redemption_refunded'
  | 'loyalty.points_adjusted';

/**
 * The events of changes a storefront can read: a product with its options, variants, images,
 * categories, reviews (and so its rating) and questions, the categories, stock and locations, the
 * store's own settings and its followers count. Whoever caches
 * storefront answers drops a store's answers on each of them; every transaction that changes
 * such a row appends one.
 */
export const STOREFRONT_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  'inventory.updated',
  'product.created',
  'product.updated',
  'product.deleted',
  'category.created',
  'category.updated',
  'category.deleted',
  'location.created',
  'location.updated',
  'review.created',
  'review.updated',
  'review.deleted',
  'question.asked',
  'question.updated',
  'question.answered',
  'store.updated',
  'store.followed',
  'loyalty.program_updated',
  'store.unfollowed',
]);

export interface OutboxEventInput {
  storeId: string;
  type: EventType;
  /** The entity the event is about, e.g. Order or ProductVariant, and its key. */
  aggregateType: string;
  aggregateId: string;
  payload: Prisma.InputJsonValue;
}

export interface OutboxInsertOptions {
  /** Relations the statement reads from (e.g. a CTE with the counter row), each followed by a comma. */
  from?: Prisma.Sql;
  /** A jsonb expression merged into each payload, for values known only inside the statement (it may read `e."type"`). */
  payloadMerge?: Prisma.Sql;
}

/**
 * The SQL of an INSERT of events of one store into the outbox, numbered `lastSequence` - n + 1 …
 * `lastSequence` in the order given, where `lastSequence` is an SQL expression: the store's counter
 * after it was moved on by n in the same statement. For callers that write their events in one
 * statement with other rows (checkout); appendOutboxEvents is the plain way. `tx` is the
 * transaction the statement is for: once it commits, the relays are woken. It returns the
 * sequences; without RETURNING, Citus would write the rows into the shard with COPY, which
 * PostgreSQL refuses under row-level security.
 */
export function outboxInsertSql(
  tx: RawSql,
  events: readonly OutboxEventInput[],
  lastSequence: Prisma.Sql,
  options: OutboxInsertOptions = {},
): Prisma.Sql {
  const storeId = events[0]?.storeId;
  if (!storeId) throw new Error('outboxInsertSql takes at least one event');
  if (events.some((event) => event.storeId !== storeId))
    throw new Error('outboxInsertSql takes the events of one store');
  noteOutboxWrite(tx);
  const payload = options.payloadMerge ? Prisma.sql`e."payload" || ${options.payloadMerge}` : Prisma.sql`e."payload"`;
  return Prisma.sql`
    INSERT INTO "OutboxEvent" ("storeId", "sequence", "type", "aggregateType", "aggregateId", "payload")
    SELECT ${storeId}::uuid, ${lastSequence} - ${events.length}::int + e."position", e."type", e."aggregateType", e."aggregateId", ${payload}
    FROM ${options.from ?? Prisma.empty} unnest(
      ${events.map((event) => event.type)}::text[], ${events.map((event) => event.aggregateType)}::text[],
      ${events.map((event) => event.aggregateId)}::text[], ${events.map((event) => JSON.stringify(event.payload))}::jsonb[]
    ) WITH ORDINALITY AS e("type", "aggregateType", "aggregateId", "payload", "position")
    RETURNING "sequence"`;
}

/**
 * The one event publisher: appends an event to the outbox in the caller's transaction, so the
 * change and its event commit together or not at all. Events get the store's next sequence
 * number; the counter row stays locked until commit, so call this as the transaction's last step.
 */
export async function appendOutboxEvent(tx: Transaction, event: OutboxEventInput): Promise<bigint> {
  const [sequence] = await appendOutboxEvents(tx, [event]);
  return sequence ?? 0n;
}

/**
 * Appends several events of one store in one statement (the counter moved on, the events
 * inserted), with consecutive sequences in the order given. Same rules as appendOutboxEvent: call
 * it last.
 */
export async function appendOutboxEvents(tx: Transaction, events: readonly OutboxEventInput[]): Promise<bigint[]> {
  const storeId = events[0]?.storeId;
  if (!storeId) return [];
  const rows = await tx.$queryRaw<{ sequence: bigint }[]>`
    WITH counter AS (
      UPDATE "StoreCounter" SET "lastEventSequence" = "lastEventSequence" + ${events.length}::int
      WHERE "storeId" = ${storeId}::uuid
      RETURNING "lastEventSequence"
    ), inserted AS (
      ${outboxInsertSql(tx, events, Prisma.sql`counter."lastEventSequence"`, { from: Prisma.sql`counter,` })}
    )
    SELECT "sequence" FROM inserted ORDER BY "sequence"`;
  if (rows.length !== events.length) throw new Error(`Store ${storeId} has no counter row.`);
  return rows.map((row) => BigInt(row.sequence));
}
