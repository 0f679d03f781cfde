import type { Order, Return, Transaction } from '@commerce/database';

/** The steps of a return the buyer hears about. */
export type ReturnMailStep = 'requested' | 'approved' | 'declined' | 'received' | 'refunded' | 'closed';

/**
 * The buyer mail of a return step, called by every step in the transaction that makes it, so that
 * the mail is durable with the change. Buyer mails go through the store's mail outbox, in the
 * store's language and branding; until the order subgraph writes buyer mail, the steps are told
 * by the order's timeline and the `return.*` events only, and this writes nothing.
 */
export async function queueReturnMail(
  _tx: Transaction,
  _order: Order,
  _return: Return,
  _step: ReturnMailStep,
): Promise<void> {}
