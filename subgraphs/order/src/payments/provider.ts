import type { Prisma } from '@commerce/database';
import type { ValidationErrorCode } from '@commerce/graphql-kit';

/** The payment providers checkout offers (the PaymentProvider enum of the API). */
export type PaymentProviderId = 'MANUAL' | 'CASH_ON_DELIVERY' | 'TEST_CARD';

/** What checkout asks a provider to charge. */
export interface PaymentRequest {
  amount: Prisma.Decimal;
  currencyCode: string;
  /** The order the payment is for (its key), as the provider's reference to it. */
  orderId: string;
  cardNumber: string | null;
}

/**
 * What a provider answers: PAID (the money is taken), PENDING (the store records it later: bank
 * transfer, cash on delivery) or DECLINED (no order is placed). A provider that fails otherwise
 * throws, and checkout leaves nothing behind.
 */
export type PaymentOutcome =
  | { status: 'PAID'; reference: string }
  | { status: 'PENDING'; reference: null }
  | { status: 'DECLINED'; message: string };

/** One way to pay. Real card gateways sit behind this interface like the test card provider. */
export interface PaymentProvider {
  readonly id: PaymentProviderId;
  /** Problems with the payment input (field paths under ["input", "payment"]), checked before checkout starts. */
  validate(input: { cardNumber?: string | null }): { field: string[]; message: string; code: ValidationErrorCode }[];
  /**
   * Charges within the checkout transaction, after stock is reserved and before the order number
   * is taken: a decline or a failure rolls everything back. (A remote gateway would authorize
   * here and capture after commit, voiding the authorization if the transaction rolls back.)
   */
  charge(request: PaymentRequest): Promise<PaymentOutcome>;
}
