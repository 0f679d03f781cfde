import { money, toGlobalId } from '@commerce/graphql-kit';
import type {
  PaymentProvider,
  PaymentRecordStatus,
  PaymentResolvers,
  PaymentTransactionKind,
  PaymentTransactionResolvers,
} from '../__generated__/resolvers-types.js';
import { heldOn } from '../services/order-change.js';

export const Payment: PaymentResolvers = {
  id: (payment) => toGlobalId('Payment', payment.id),
  provider: (payment) => payment.provider as PaymentProvider,
  status: (payment) => payment.status as PaymentRecordStatus,
  amount: (payment) => money(payment.amount, payment.currencyCode),
  captured: (payment) => money(payment.capturedAmount, payment.currencyCode),
  capturable: (payment) => money(heldOn(payment), payment.currencyCode),
  commission: (payment) => (payment.staff ? money(payment.commissionAmount, payment.currencyCode) : null),
  net: (payment) => (payment.staff ? money(payment.netAmount, payment.currencyCode) : null),
  reference: (payment) => payment.providerReference,
};

export const PaymentTransaction: PaymentTransactionResolvers = {
  id: (transaction) => toGlobalId('PaymentTransaction', transaction.id),
  kind: (transaction) => transaction.kind as PaymentTransactionKind,
  amount: (transaction) => money(transaction.amount, transaction.currencyCode),
  reference: (transaction) => transaction.providerReference,
};
