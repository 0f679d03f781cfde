import { randomUUID } from 'node:crypto';
import type { OperationOutcome, PaymentProvider } from './provider.js';

/** Approved. */
export const TEST_CARD_APPROVED = '4242424242424242';
/** Declined: no order is placed. */
export const TEST_CARD_DECLINED = '4000000000000002';
/** The provider fails (throws) after stock was reserved: for testing that nothing is left behind. */
export const TEST_CARD_PROVIDER_FAILURE = '4000000000000119';
/** Authorized at checkout, but every capture of it is declined (as a card closed since would be). */
export const TEST_CARD_CAPTURE_DECLINED = '4000000000000341';

/** Thrown by the test card provider for TEST_CARD_PROVIDER_FAILURE, as a broken gateway would fail. */
export class TestCardProviderFailure extends Error {
  constructor() {
    super('The test card provider failed (card 4000000000000119 simulates a provider failure).');
  }
}

const DECLINED = 'The card was declined; use another card or way of paying.';
/** References of authorizations whose captures the fake gateway declines. */
const NO_CAPTURE = 'test_nocapture_';

function cardOf(number: string | null): string {
  return number?.replace(/[\s-]/g, '') ?? '';
}

function done(): OperationOutcome {
  return { ok: true, reference: `test_${randomUUID()}` };
}

/**
 * The test card provider: a fake card gateway for tests and demos, behind the same interface a
 * real gateway adapter would implement. Any card number not named above is declined.
 */
export const testCardProvider: PaymentProvider = {
  id: 'TEST_CARD',
  validate(input) {
    const number = cardOf(input.cardNumber ?? null);
    if (number === '')
      return [{ field: ['input', 'payment', 'cardNumber'], message: 'Enter the card number.', code: 'BLANK' }];
    if (!/^\d{12,19}$/.test(number))
      return [
        { field: ['input', 'payment', 'cardNumber'], message: 'A card number has 12 to 19 digits.', code: 'INVALID' },
      ];
    return [];
  },
  async charge(request) {
    const number = cardOf(request.cardNumber);
    if (number === TEST_CARD_PROVIDER_FAILURE) throw new TestCardProviderFailure();
    if (number === TEST_CARD_APPROVED) return { status: 'PAID', reference: `test_${randomUUID()}` };
    return { status: 'DECLINED', message: DECLINED };
  },
  async authorize(request) {
    const number = cardOf(request.cardNumber);
    if (number === TEST_CARD_PROVIDER_FAILURE) throw new TestCardProviderFailure();
    if (number === TEST_CARD_APPROVED) return { status: 'AUTHORIZED', reference: `test_auth_${randomUUID()}` };
    if (number === TEST_CARD_CAPTURE_DECLINED)
      return { status: 'AUTHORIZED', reference: `${NO_CAPTURE}${randomUUID()}` };
    return { status: 'DECLINED', message: DECLINED };
  },
  async capture(operation) {
    if (operation.reference?.startsWith(NO_CAPTURE))
      return { ok: false, message: 'The card issuer declined the capture; ask the buyer for another payment.' };
    return done();
  },
  void: async () => done(),
  refund: async () => done(),
};
