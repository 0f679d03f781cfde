// Authorize, then capture: checkout authorizes a card payment (stores with paymentCaptureMode
// MANUAL or ON_FULFILLMENT) and staff capture all or part of it later, or void it; ON_FULFILLMENT
// stores capture what is held as the last units ship; authorizations nobody captured are voided
// when they expire (authorization-sweeper.ts). Each change locks the order (changeOrder), so
// captures of one order take turns and never take more than was authorized.
import { Prisma, type Order, type PaymentTransaction, type Transaction } from '@commerce/database';
import { appendOutboxEvents, type OrderPaymentVoidedPayload } from '@commerce/events';
import { queueBuyerNotification } from '@commerce/mail';
import { earnLoyaltyPoints } from '@commerce/loyalty';
import {
  InputErrors,
  keyOrNull,
  minorUnits,
  requirePermission,
  requireStore,
  userError,
  violatesUniqueIndex,
  type UserError,
} from '@commerce/graphql-kit';
import type { OrderErrorCode, OrderPaymentCaptureInput } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import type { PaymentTransactionParent } from '../mappers.js';
import { paymentProvider, type PaymentProviderId } from '../payments/index.js';
import {
  changeOrder,
  formatAmount,
  heldOn,
  paymentsOf,
  totalHeld,
  totalPaid,
  voidOpenPayments,
  type OrderResult,
  type PaymentWithTransactions,
} from './order-change.js';
import { orderPaidEvent, paymentCapturedEvent, paymentVoidedEvent } from './order-figures.js';
import { appendOrderEvent, type OrderActor } from './order-events.js';
import { checkTransition, paymentStatusAfter } from './order-status.js';

type Decimal = Prisma.Decimal;

/** What orderPaymentCapture answers. */
export interface CaptureResult {
  order: Order | null;
  transaction: PaymentTransactionParent | null;
  userErrors: UserError<OrderErrorCode>[];
}

const MAX_KEY_LENGTH = 255;
const KEY_INDEX = 'PaymentTransaction_storeId_idempotencyKey_key';

type StoredCapture = PaymentTransaction & { payment: { orderId: string; currencyCode: string } };

function storedCapture(tx: Transaction, storeId: string, key: string): Promise<StoredCapture | null> {
  return tx.paymentTransaction.findUnique({
    where: { storeId_idempotencyKey: { storeId, idempotencyKey: key } },
    include: { payment: { select: { orderId: true, currencyCode: true } } },
  });
}

/** The answer for a key that captured already: that capture, if it was for the same order and amount. */
async function replay(
  tx: Transaction,
  stored: StoredCapture,
  orderId: string,
  amount: Decimal | null,
): Promise<CaptureResult> {
  if (stored.payment.orderId !== orderId || (amount && !amount.equals(stored.amount))) {
    return {
      order: null,
      transaction: null,
      userErrors: [
        userError(
          ['idempotencyKey'],
          'This idempotency key was used for another capture; use a new key for a new capture.',
          'IDEMPOTENCY_KEY_REUSED',
        ),
      ],
    };
  }
  const order = await tx.order.findUniqueOrThrow({
    where: { storeId_id: { storeId: stored.storeId, id: orderId } },
  });
  const transaction = { ...stored, currencyCode: stored.payment.currencyCode };
  return {
    order,
    transaction,
    userErrors: stored.status === 'FAILED' ? [declined(stored.errorMessage ?? 'The capture was declined.')] : [],
  };
}

function declined(message: string): UserError<OrderErrorCode> {
  return userError(['input', 'orderId'], message, 'PAYMENT_DECLINED');
}

/**
 * Captures `input.amount` (all that is held when left out) of the order's authorization (staff),
 * once per idempotency key: the same key answers the same capture, also one that was declined.
 */
export async function capturePayment(
  context: SubgraphContext,
  input: OrderPaymentCaptureInput,
  idempotencyKey: string,
): Promise<CaptureResult> {
  await requirePermission(context, 'MANAGE_ORDERS');
  const store = requireStore(context);
  const errors = new InputErrors<OrderErrorCode>();
  const key = idempotencyKey.trim();
  if (key === '')
    errors.add(['idempotencyKey'], 'Give a key that identifies this capture, and repeat it on retries.', 'BLANK');
  else if (key.length > MAX_KEY_LENGTH)
    errors.add(['idempotencyKey'], `Use at most ${MAX_KEY_LENGTH} characters.`, 'TOO_LONG');
  let amount: Decimal | null = null;
  if (input.amount != null) {
    amount = new Prisma.Decimal(input.amount);
    if (amount.lessThanOrEqualTo(0)) errors.add(['input', 'amount'], 'Capture more than zero.', 'INVALID');
    else if (amount.decimalPlaces() > minorUnits(store.currencyCode))
      errors.add(
        ['input', 'amount'],
        `Amounts in ${store.currencyCode} have at most ${minorUnits(store.currencyCode)} decimals.`,
        'TOO_PRECISE',
      );
  }
  if (!errors.ok) return { order: null, transaction: null, userErrors: errors.errors };
  try {
    return await changeOrder(context, input.orderId, 'staff', (tx, order, actor) =>
      captureOrder(tx, order, actor, key, amount),
    );
  } catch (error) {
    // The same key used on another order at the same moment: that capture committed first.
    if (!violatesUniqueIndex(error, KEY_INDEX, ['storeId', 'idempotencyKey'])) throw error;
    return context.db.transaction(async (tx) => {
      const stored = await storedCapture(tx, store.id, key);
      if (!stored) throw error;
      return replay(tx, stored, keyOrNull(input.orderId, 'Order') ?? '', amount);
    });
  }
}

async function captureOrder(
  tx: Transaction,
  order: Order,
  actor: OrderActor,
  key: string,
  requested: Decimal | null,
): Promise<CaptureResult> {
  const stored = await storedCapture(tx, order.storeId, key);
  if (stored) return replay(tx, stored, order.id, requested);
  const refusal = checkTransition(order, 'capture');
  if (refusal) return { order, transaction: null, userErrors: [refusal] };
  const payments = await paymentsOf(tx, order);
  // Checkout makes one authorization per order; captures draw on it.
  const payment = payments.find((candidate) => heldOn(candidate).greaterThan(0));
  if (!payment) {
    return {
      order,
      transaction: null,
      userErrors: [
        userError(
          ['input', 'orderId'],
          'Nothing is held for capture any more (the authorization was captured, voided or expired); record a payment with orderMarkPaid.',
          'INVALID_TRANSITION',
        ),
      ],
    };
  }
  const held = heldOn(payment);
  const amount = requested ?? held;
  if (amount.greaterThan(held)) {
    return {
      order,
      transaction: null,
      userErrors: [
        userError(
          ['input', 'amount'],
          `At most ${formatAmount(held, order.currencyCode)} can be captured (what is authorized and not captured yet).`,
          'TOO_MUCH',
        ),
      ],
    };
  }
  return takeCapture(tx, order, actor, payments, payment, amount, key);
}

/**
 * Captures `amount` of what `payment` holds through its provider and books it (the payment, a
 * CAPTURE transaction with `key`, the order's payment status, timeline and events); a decline is
 * recorded as a FAILED capture and answered as PAYMENT_DECLINED. The order is locked by the caller.
 */
async function takeCapture(
  tx: Transaction,
  order: Order,
  actor: OrderActor,
  payments: readonly PaymentWithTransactions[],
  payment: PaymentWithTransactions,
  amount: Decimal,
  key: string | null,
): Promise<CaptureResult> {
  const outcome = await paymentProvider(payment.provider as PaymentProviderId).capture({
    reference: payment.providerReference,
    amount,
    currencyCode: payment.currencyCode,
  });
  if (!outcome.ok) {
    // Recorded with its key: a retry with the key answers the same decline.
    const failed = await tx.paymentTransaction.create({
      data: {
        storeId: order.storeId,
        paymentId: payment.id,
        kind: 'CAPTURE',
        status: 'FAILED',
        amount,
        errorMessage: outcome.message,
        idempotencyKey: key,
      },
    });
    await appendOrderEvent(
      tx,
      order,
      'PAYMENT_CAPTURE_FAILED',
      `Capture of ${formatAmount(amount, order.currencyCode)} declined: ${outcome.message}`,
      actor,
    );
    return {
      order,
      transaction: { ...failed, currencyCode: payment.currencyCode },
      userErrors: [declined(outcome.message)],
    };
  }
  const capturedOnPayment = payment.capturedAmount.plus(amount);
  await tx.payment.update({
    where: { storeId_id: { storeId: order.storeId, id: payment.id } },
    data: {
      capturedAmount: capturedOnPayment,
      status: capturedOnPayment.greaterThanOrEqualTo(payment.amount) ? 'PAID' : 'PARTIALLY_PAID',
    },
  });
  const transaction = await tx.paymentTransaction.create({
    data: {
      storeId: order.storeId,
      paymentId: payment.id,
      kind: 'CAPTURE',
      status: 'SUCCESS',
      amount,
      providerReference: outcome.reference,
      idempotencyKey: key,
    },
  });
  const captured = totalPaid(payments).plus(amount);
  const paymentStatus = paymentStatusAfter(
    { total: order.total, captured, refunded: order.totalRefunded, held: totalHeld(payments).minus(amount) },
    order.paymentStatus,
  );
  const updated = await tx.order.update({
    where: { storeId_id: { storeId: order.storeId, id: order.id } },
    data: { paymentStatus },
  });
  const paidInFull = paymentStatus === 'PAID';
  await appendOrderEvent(
    tx,
    order,
    paidInFull ? 'PAID' : 'PAYMENT_CAPTURED',
    `Captured ${formatAmount(amount, order.currencyCode)}${paidInFull ? ': paid in full' : ` (${formatAmount(captured, order.currencyCode)} of ${formatAmount(order.total, order.currencyCode)} captured)`}.`,
    actor,
    { transactionId: transaction.id },
  );
  if (paidInFull)
    await earnLoyaltyPoints(tx, {
      storeId: order.storeId,
      customerId: order.customerId,
      orderId: order.id,
      // Points are earned on what the order is worth to the store, in its currency.
      amount: order.storeTotal ?? order.total,
    });
  await appendOutboxEvents(tx, [
    paymentCapturedEvent(order, transaction.id, amount, captured),
    ...(paidInFull ? [orderPaidEvent(order, captured)] : []),
  ]);
  // The buyer hears once, when the order is paid in full (one mail per order, whatever the captures).
  if (paidInFull)
    await queueBuyerNotification(tx, {
      storeId: order.storeId,
      kind: 'PAYMENT_RECEIVED',
      to: order.email,
      data: { orderId: order.id },
    });
  return { order: updated, transaction: { ...transaction, currencyCode: payment.currencyCode }, userErrors: [] };
}

/**
 * For stores that capture when an order ships in full (paymentCaptureMode ON_FULFILLMENT): takes
 * everything the order's authorization still holds, within the fulfilment's transaction. A
 * decline does not stop the shipment: it is recorded and told, and staff settle the payment.
 */
export async function captureOnFulfillment(tx: Transaction, order: Order, actor: OrderActor): Promise<void> {
  if (order.paymentStatus !== 'AUTHORIZED' && order.paymentStatus !== 'PARTIALLY_PAID') return;
  const store = await tx.store.findUniqueOrThrow({
    where: { id: order.storeId },
    select: { paymentCaptureMode: true },
  });
  if (store.paymentCaptureMode !== 'ON_FULFILLMENT') return;
  const payments = await paymentsOf(tx, order);
  const payment = payments.find((candidate) => heldOn(candidate).greaterThan(0));
  if (payment) await takeCapture(tx, order, actor, payments, payment, heldOn(payment), null);
}

/** Releases what the order's authorization still holds (staff); nothing more can be captured. */
export function voidPayment(context: SubgraphContext, orderId: string): Promise<OrderResult> {
  return changeOrder(context, orderId, 'staff', async (tx, order, actor) => {
    const refusal = checkTransition(order, 'voidPayment');
    if (refusal) return { order, userErrors: [{ ...refusal, field: ['orderId'] }] };
    const payments = await paymentsOf(tx, order);
    if (totalHeld(payments).isZero())
      return {
        order,
        userErrors: [
          userError(
            ['orderId'],
            'Nothing is held any more: the authorization was captured or voided.',
            'INVALID_TRANSITION',
          ),
        ],
      };
    const voided = await releaseAuthorizations(tx, order, payments, actor, 'STAFF');
    return { order: voided, userErrors: [] };
  });
}

/**
 * Voids what the order's authorizations still hold (not pending payments: those wait for the
 * store), sets the order's payment status (VOIDED when nothing was captured) and tells the
 * timeline and the outbox. The order is locked by the caller.
 */
export async function releaseAuthorizations(
  tx: Transaction,
  order: Order,
  payments: readonly PaymentWithTransactions[],
  actor: OrderActor,
  reason: Exclude<OrderPaymentVoidedPayload['reason'], 'CANCELLED'>,
): Promise<Order> {
  const released = await voidOpenPayments(
    tx,
    payments.filter((payment) => payment.status !== 'PENDING'),
  );
  const updated = await tx.order.update({
    where: { storeId_id: { storeId: order.storeId, id: order.id } },
    data: {
      paymentStatus: paymentStatusAfter(
        {
          total: order.total,
          captured: totalPaid(payments),
          refunded: order.totalRefunded,
          held: new Prisma.Decimal(0),
        },
        'VOIDED',
      ),
    },
  });
  const why = reason === 'EXPIRED' ? 'the authorization expired' : 'released by staff';
  await appendOrderEvent(
    tx,
    order,
    'PAYMENT_VOIDED',
    `Payment of ${formatAmount(released, order.currencyCode)} voided: ${why}.`,
    actor,
  );
  await appendOutboxEvents(tx, [paymentVoidedEvent(order, released, reason)]);
  return updated;
}
