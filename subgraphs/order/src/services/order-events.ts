import type { Prisma, Transaction } from '@commerce/database';
import type { StockActorType } from '@commerce/inventory';
import type { SubgraphContext } from '../context.js';

/** The OrderEventType values of the API. */
export type OrderEventType =
  | 'PLACED'
  | 'CONFIRMED'
  | 'ACCEPTED'
  | 'REJECTED'
  | 'READY_FOR_PICKUP'
  | 'PAID'
  | 'PAYMENT_CAPTURED'
  | 'PAYMENT_CAPTURE_FAILED'
  | 'PAYMENT_VOIDED'
  | 'CANCELLED'
  | 'FULFILLED'
  | 'DELIVERED'
  | 'REFUNDED'
  | 'NOTE_ADDED'
  | 'RETURN_REQUESTED'
  | 'RETURN_APPROVED'
  | 'RETURN_DECLINED'
  | 'RETURN_RECEIVED'
  | 'RETURN_CLOSED'
  | 'ORDER_EDITED';

/** Who changes an order, as the timeline records it. */
export interface OrderActor {
  type: 'CUSTOMER' | 'GUEST' | 'STAFF' | 'APP' | 'SYSTEM';
  /** The seller's, customer's or app's key; null for guests and the platform. */
  id: string | null;
}

/** The caller as an order actor: staff (a seller), an app of the store, the customer, or a guest. */
export function actorOf(context: SubgraphContext): OrderActor {
  if (context.viewer.kind === 'seller') return { type: 'STAFF', id: context.viewer.sellerId };
  if (context.viewer.kind === 'app') return { type: 'APP', id: context.viewer.appId };
  if (context.viewer.kind === 'customer') return { type: 'CUSTOMER', id: context.viewer.customerId };
  return { type: 'GUEST', id: null };
}

/** Stock movements name the actor in lower case, as the catalog does. */
export function stockActorType(actor: OrderActor): StockActorType {
  return actor.type.toLowerCase() as StockActorType;
}

let lastEventAt = 0;

/** Now, but after the previous event this process wrote, so a timeline written in one go keeps its order. */
export function eventTime(): Date {
  lastEventAt = Math.max(Date.now(), lastEventAt + 1);
  return new Date(lastEventAt);
}

/** Appends an entry to an order's timeline. */
export async function appendOrderEvent(
  tx: Transaction,
  order: { storeId: string; id: string },
  type: OrderEventType,
  message: string,
  actor: OrderActor,
  data: Prisma.InputJsonObject = {},
): Promise<void> {
  await tx.orderEvent.create({
    data: {
      storeId: order.storeId,
      orderId: order.id,
      type,
      message,
      actorType: actor.type,
      actorId: actor.id,
      data,
      createdAt: eventTime(),
    },
  });
}
