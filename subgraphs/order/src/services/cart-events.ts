// The events of a buyer's way to an order that no order row records: a cart created, a checkout
// that ended in userErrors. The analytics conversion funnel counts them (DESIGN §14). A cart's id
// is its bearer token, so events name a cart by a digest of it, never by the token.
import { createHash } from 'node:crypto';
import type { Transaction } from '@commerce/database';
import { appendOutboxEvent, type CartCreatedPayload, type CheckoutAttemptedPayload } from '@commerce/events';
import type { SubgraphContext } from '../context.js';

/** A cart's name in events: a digest of its token, which is a secret. */
export function cartReference(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 32);
}

/** Appends `cart.created` in the transaction that creates the cart (its last step). */
export async function appendCartCreated(tx: Transaction, storeId: string, token: string): Promise<void> {
  const payload: CartCreatedPayload = { cartId: cartReference(token) };
  await appendOutboxEvent(tx, {
    storeId,
    type: 'cart.created',
    aggregateType: 'Cart',
    aggregateId: payload.cartId,
    payload,
  });
}

/**
 * Records a checkout that ended in userErrors, in a transaction of its own: the checkout's rolled
 * back or wrote nothing. A placed order's `order.created` counts as its own attempt, so the
 * success path writes nothing more.
 */
export async function recordFailedCheckout(
  context: SubgraphContext,
  storeId: string,
  token: string,
  reason: string,
): Promise<void> {
  const payload: CheckoutAttemptedPayload = { cartId: cartReference(token), reason };
  await context.db.transaction((tx) =>
    appendOutboxEvent(tx, {
      storeId,
      type: 'checkout.attempted',
      aggregateType: 'Cart',
      aggregateId: payload.cartId,
      payload,
    }),
  );
}
