import type {
  Fulfillment,
  FulfillmentLine,
  Payment,
  PaymentTransaction,
  Refund,
  RefundLine,
  Return,
  ReturnLine,
} from '@commerce/database';
import { inCurrency } from '@commerce/graphql-kit';
import type { FulfillmentParent, PaymentParent, RefundParent, ReturnParent } from '../mappers.js';

// An order's shipments and refunds are in its currency, and so are their lines; a payment's
// transactions are in the payment's. Whatever reads them gives them the currency here, once.

/** A fulfillment and its lines with their order's currency. */
export function fulfillmentInCurrency(
  fulfillment: Fulfillment & { lines: FulfillmentLine[] },
  currencyCode: string,
): FulfillmentParent {
  const lines = fulfillment.lines.map((line) => ({ ...inCurrency(line, currencyCode), orderId: fulfillment.orderId }));
  return { ...inCurrency(fulfillment, currencyCode), lines };
}

/** A refund and its lines with their order's currency. */
export function refundInCurrency(refund: Refund & { lines: RefundLine[] }, currencyCode: string): RefundParent {
  const lines = refund.lines.map((line) => ({ ...inCurrency(line, currencyCode), orderId: refund.orderId }));
  return { ...inCurrency(refund, currencyCode), lines };
}

/** A return and its lines with their order's currency. */
export function returnInCurrency(ret: Return & { lines: ReturnLine[] }, currencyCode: string): ReturnParent {
  const lines = ret.lines.map((line) => ({ ...inCurrency(line, currencyCode), orderId: ret.orderId }));
  return { ...inCurrency(ret, currencyCode), lines };
}

/** A payment with its transactions in its currency; `staff`: whether the caller may see the commission. */
export function paymentWithTransactions(
  payment: Payment & { transactions: PaymentTransaction[] },
  staff: boolean,
): PaymentParent {
  return {
    ...payment,
    transactions: payment.transactions.map((transaction) => inCurrency(transaction, payment.currencyCode)),
    staff,
  };
}
