import type { PaymentProvider, PaymentProviderId } from './provider.js';

/**
 * Payments the store records by hand (bank transfer, cash on delivery): the order waits for
 * orderMarkPaid, with or without manual capture, and money given back is given back by hand.
 */
export function manualProvider(id: Extract<PaymentProviderId, 'MANUAL' | 'CASH_ON_DELIVERY'>): PaymentProvider {
  return {
    id,
    validate: (input) =>
      input.cardNumber
        ? [
            {
              field: ['input', 'payment', 'cardNumber'],
              message: 'Leave the card number out for this way of paying.',
              code: 'INVALID',
            },
          ]
        : [],
    charge: async () => ({ status: 'PENDING', reference: null }),
    authorize: async () => ({ status: 'PENDING', reference: null }),
    capture: async () => ({ ok: false, message: 'Nothing was authorized: record the payment with orderMarkPaid.' }),
    void: async () => ({ ok: true, reference: null }),
    refund: async () => ({ ok: true, reference: null }),
  };
}
