import { randomUUID } from 'node:crypto';
import type { PaymentProvider } from './provider.js';

/** Approved. */
export const TEST_CARD_APPROVED = '4242424242424242';
/** Declined: no order is placed. */
export const TEST_CARD_DECLINED = '4000000000000002';
/** The provider fails (throws) after stock was reserved: for testing that nothing is left behind. */
export const TEST_CARD_PROVIDER_FAILURE = '4000000000000119';

/** Thrown by the test card provider for TEST_CARD_PROVIDER_FAILURE, as a broken gateway would fail. */
export class TestCardProviderFailure extends Error {
  constructor() {
    super('The test card provider failed (card 4000000000000119 simulates a provider failure).');
  }
}

/**
 * The test card provider: a fake card gateway for tests and demos, behind the same interface a
 * real gateway adapter would implement. Any other card number is declined.
 */
export const testCardProvider: PaymentProvider = {
  id: 'TEST_CARD',
  validate(input) {
    const number = input.cardNumber?.replace(/[\s-]/g, '') ?? '';
    if (number === '')
      return [{ field: ['input', 'payment', 'cardNumber'], message: 'Enter the card number.', code: 'BLANK' }];
    if (!/^\d{12,19}$/.test(number))
      return [
        { field: ['input', 'payment', 'cardNumber'], message: 'A card number has 12 to 19 digits.', code: 'INVALID' },
      ];
    return [];
  },
  async charge(request) {
    const number = request.cardNumber?.replace(/[\s-]/g, '') ?? '';
    if (number === TEST_CARD_PROVIDER_FAILURE) throw new TestCardProviderFailure();
    if (number === TEST_CARD_APPROVED) return { status: 'PAID', reference: `test_${randomUUID()}` };
    return { status: 'DECLINED', message: 'The card was declined; use another card or way of paying.' };
  },
};
