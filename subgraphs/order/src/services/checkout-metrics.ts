import { checkouts } from '@commerce/observability';
import type { CheckoutResult } from './checkout.service.js';

/**
 * Counts a checkout by outcome in commerce_checkouts_total: placed (an order, new or replayed by
 * its idempotency key), refused (userErrors; labelled with the first code) or failed (thrown).
 */
export async function countCheckout(checkout: Promise<CheckoutResult>): Promise<CheckoutResult> {
  try {
    const result = await checkout;
    if (result.order) checkouts.inc({ outcome: 'placed', code: '' });
    else checkouts.inc({ outcome: 'refused', code: result.userErrors[0]?.code ?? 'UNKNOWN' });
    return result;
  } catch (error) {
    checkouts.inc({ outcome: 'failed', code: '' });
    throw error;
  }
}
