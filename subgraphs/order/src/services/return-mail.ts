import type { Order, Return, Transaction } from '@commerce/database';
import { queueBuyerNotification, type OrderNotificationKind } from '@commerce/mail';

/** The steps of a return the buyer hears about. */
export type ReturnMailStep = 'requested' | 'approved' | 'declined' | 'received' | 'refunded' | 'closed';

/** The mail of each step; a return's refund is told by the refund's own mail (REFUND). */
const STEP_KINDS: Record<ReturnMailStep, OrderNotificationKind | null> = {
  requested: 'RETURN_REQUESTED',
  approved: 'RETURN_APPROVED',
  declined: 'RETURN_DECLINED',
  received: 'RETURN_RECEIVED',
  refunded: null,
  closed: 'RETURN_CLOSED',
};

/**
 * The buyer mail of a return step, written to the mail outbox in the transaction that makes the
 * step (unless the store turned return mails off), so that it is durable with the change; rendered
 * when sent, in the buyer's language and the store's branding.
 */
export async function queueReturnMail(tx: Transaction, order: Order, ret: Return, step: ReturnMailStep): Promise<void> {
  const kind = STEP_KINDS[step];
  if (!kind) return;
  await queueBuyerNotification(tx, {
    storeId: order.storeId,
    kind,
    to: order.email,
    data: { orderId: order.id, returnId: ret.id },
  });
}
