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
  const counter = await tx.storeCounter.update({
    where: { storeId: event.storeId },
    data: { lastEventSequence: { increment: 1 } },
    select: { lastEventSequence: true },
  });
  await tx.outboxEvent.create({
    data: {
      storeId: event.storeId,
      sequence: counter.lastEventSequence,
      type: event.type,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      payload: event.payload,
    },
  });
  return counter.lastEventSequence;
}
