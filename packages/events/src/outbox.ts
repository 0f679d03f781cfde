import type { Prisma, Transaction } from '@commerce/database';

/** The events the graph announces (subscriptions and read models listen to them). */
export type EventType = 'order.created' | 'inventory.updated';

export interface OutboxEventInput {
  storeId: string;
  type: EventType;
  /** The entity the event is about, e.g. Order or ProductVariant, and its key. */
  aggregateType: string;
  aggregateId: string;
  payload: Prisma.InputJsonValue;
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
 * Appends several events of one store in two statements (one counter update, one insert), with
 * consecutive sequences in the order given. Same rules as appendOutboxEvent: call it last.
 */
export async function appendOutboxEvents(tx: Transaction, events: readonly OutboxEventInput[]): Promise<bigint[]> {
  const storeId = events[0]?.storeId;
  if (!storeId) return [];
  if (events.some((event) => event.storeId !== storeId)) throw new Error('appendOutboxEvents takes the events of one store');
  const counter = await tx.storeCounter.update({
    where: { storeId },
    data: { lastEventSequence: { increment: events.length } },
    select: { lastEventSequence: true },
  });
  const first = counter.lastEventSequence - BigInt(events.length) + 1n;
  const sequences = events.map((_event, index) => first + BigInt(index));
  await tx.outboxEvent.createMany({
    data: events.map((event, index) => ({
      storeId,
      sequence: sequences[index] ?? first,
      type: event.type,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      payload: event.payload,
    })),
  });
  return sequences;
}
