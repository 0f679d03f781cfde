import type { Prisma } from '@commerce/database';
import type { ValidationErrorCode } from '@commerce/graphql-kit';

/** The payment providers checkout offers (the PaymentProvider enum of the API). */
export type PaymentProviderId = 'MANUAL' | 'CASH_ON_DELIVERY' | 'TEST_CARD';

/** What checkout asks a provider to charge or authorize. */
export interface PaymentRequest {
  amount: Prisma.Decimal;
  currencyCode: string;
  /** The order the payment is for (its key), as the provider's reference to it. */
  orderId: string;
  cardNumber: string | null;
}

/**
 * What a provider answers at checkout: PAID (the money is taken), AUTHORIZED (the money is held
 * for a later capture), PENDING (the store records it later: bank transfer, cash on delivery) or
 * DECLINED (no order is placed). A provider that fails otherwise throws, and checkout leaves
 * nothing behind.
 */
export type PaymentOutcome =
  | { status: 'PAID'; reference: string }
  | { status: 'AUTHORIZED'; reference: string }
  | { status: 'PENDING'; reference: null }
  | { status: 'DECLINED'; message: string };

/** A movement of money on a payment the provider made before (by its reference). */
export interface PaymentOperation {
  /** The provider's reference of the payment (null for payments recorded by hand). */
  reference: string | null;
  amount: Prisma.Decimal;
  currencyCode: string;
}

/** What a provider answers to a capture, void or refund: done (with its reference) or refused. */
export type OperationOutcome = { ok: true; reference: string | null } | { ok: false; message: string };

/** One way to pay. Real card gateways sit behind this interface like the test card provider. */
export interface PaymentProvider {
  readonly id: PaymentProviderId;
  /** Problems with the payment input (field paths under ["input", "payment"]), checked before checkout starts. */
  validate(input: { cardNumber?: string | null }): { field: string[]; message: string; code: ValidationErrorCode }[];
  /**
   * Charges (authorizes and captures at once) within the checkout transaction, after stock is
   * reserved and before the order number is taken: a decline or a failure rolls everything back.
   * (A remote gateway would authorize here and capture after commit, voiding the authorization
   * if the transaction rolls back.)
   */
  charge(request: PaymentRequest): Promise<PaymentOutcome>;
  /**
   * Holds the amount for a later capture (stores with manual capture), at the same point of
   * checkout as charge. Providers that cannot hold money answer as charge does (PENDING).
   */
  authorize(request: PaymentRequest): Promise<PaymentOutcome>;
  /** Takes `amount` (all or part of what is still held) of an authorization. */
  capture(operation: PaymentOperation): Promise<OperationOutcome>;
  /** Releases what is still held of an authorization (`amount`); nothing more can be captured. */
  void(operation: PaymentOperation): Promise<OperationOutcome>;
  /** Gives `amount` of what was captured back to the buyer. */
  refund(operation: PaymentOperation): Promise<OperationOutcome>;
}
