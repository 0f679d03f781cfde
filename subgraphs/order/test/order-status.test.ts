// The status table itself, as a matrix: every order status × every payment status × every action,
// against the rules written out here. Services are tested through the graph against the same
// rules (order-states.graph.test.ts, payment-capture.graph.test.ts).
import { describe, expect, it } from 'vitest';
import { Prisma, type OrderStatus, type PaymentStatus } from '@commerce/database';
import {
  checkTransition,
  nextStatus,
  ORDER_ACTIONS,
  ORDER_STATUSES,
  paymentStatusAfter,
  type OrderAction,
} from '../src/services/order-status.js';

const PAYMENT_STATUSES: PaymentStatus[] = [
  'PENDING',
  'AUTHORIZED',
  'PARTIALLY_PAID',
  'PAID',
  'PARTIALLY_REFUNDED',
  'REFUNDED',
  'FAILED',
  'VOIDED',
];
const OPEN: OrderStatus[] = [
  'PENDING',
  'CONFIRMED',
  'PROCESSING',
  'READY_FOR_PICKUP',
  'SHIPPED',
  'DELIVERED',
  'COMPLETED',
];

/** The rules: where each action leads from each status (left out: refused), and the payment statuses it needs. */
const RULES: Record<
  OrderAction,
  { to: Partial<Record<OrderStatus, OrderStatus | 'BY_FULFILLMENT'>>; payment?: PaymentStatus[] }
> = {
  confirm: { to: { PENDING: 'CONFIRMED' } },
  accept: { to: { PENDING: 'CONFIRMED' } },
  reject: { to: { PENDING: 'CANCELLED' } },
  markReadyForPickup: { to: { CONFIRMED: 'READY_FOR_PICKUP', PROCESSING: 'READY_FOR_PICKUP' } },
  fulfil: { to: { CONFIRMED: 'BY_FULFILLMENT', PROCESSING: 'BY_FULFILLMENT', READY_FOR_PICKUP: 'BY_FULFILLMENT' } },
  deliver: { to: { SHIPPED: 'DELIVERED', PROCESSING: 'DELIVERED' } },
  cancel: { to: { PENDING: 'CANCELLED', CONFIRMED: 'CANCELLED', READY_FOR_PICKUP: 'CANCELLED' } },
  customerCancel: { to: { PENDING: 'CANCELLED' } },
  markPaid: {
    to: Object.fromEntries(OPEN.map((status) => [status, status])),
    payment: ['PENDING', 'FAILED', 'VOIDED', 'PARTIALLY_PAID'],
  },
  capture: {
    to: Object.fromEntries(OPEN.map((status) => [status, status])),
    payment: ['AUTHORIZED', 'PARTIALLY_PAID'],
  },
  voidPayment: {
    to: Object.fromEntries(OPEN.map((status) => [status, status])),
    payment: ['AUTHORIZED', 'PARTIALLY_PAID'],
  },
  refund: {
    to: {
      ...Object.fromEntries(OPEN.map((status) => [status, status])),
      CANCELLED: 'CANCELLED',
      PROCESSING: 'BY_FULFILLMENT',
    },
    payment: ['PAID', 'PARTIALLY_PAID', 'PARTIALLY_REFUNDED'],
  },
  edit: {
    to: { PENDING: 'PENDING', CONFIRMED: 'CONFIRMED', PROCESSING: 'PROCESSING', READY_FOR_PICKUP: 'READY_FOR_PICKUP' },
  },
};

describe('the status table', () => {
  it('allows exactly the transitions of the rules, from every order and payment status, and leads where they say', () => {
    let checked = 0;
    for (const action of ORDER_ACTIONS) {
      for (const status of ORDER_STATUSES) {
        for (const paymentStatus of PAYMENT_STATUSES) {
          const rule = RULES[action];
          const target = rule.to[status];
          const allowed = target !== undefined && (!rule.payment || rule.payment.includes(paymentStatus));
          // The setting a part-shipped delivery needs is on here; it is tested below.
          const refusal = checkTransition({ status, paymentStatus }, action, { partialDeliveryEnabled: true });
          expect({ action, status, paymentStatus, allowed: refusal === null }).toEqual({
            action,
            status,
            paymentStatus,
            allowed,
          });
          if (refusal) {
            expect(refusal.code).toBe('INVALID_TRANSITION');
            expect(refusal.message).toContain(
              target === undefined ? `The order is ${status};` : `payment is ${paymentStatus};`,
            );
          } else {
            const expected = target === 'BY_FULFILLMENT' ? 'SHIPPED' : target;
            expect(nextStatus({ status }, action, 'SHIPPED')).toBe(expected);
          }
          checked += 1;
        }
      }
    }
    expect(checked).toBe(ORDER_ACTIONS.length * 8 * 8);
  });

  it('delivers a part-shipped order only with the store setting on', () => {
    const order = { status: 'PROCESSING' as const, paymentStatus: 'PAID' as const };
    expect(checkTransition(order, 'deliver')).toMatchObject({
      code: 'INVALID_TRANSITION',
      message: expect.stringContaining('settings.partialDeliveryEnabled'),
    });
    expect(checkTransition(order, 'deliver', { partialDeliveryEnabled: true })).toBeNull();
    expect(checkTransition({ ...order, status: 'SHIPPED' }, 'deliver')).toBeNull();
  });

  it('refuses to say where a refused action leads', () => {
    expect(() => nextStatus({ status: 'CANCELLED' }, 'confirm')).toThrow('cannot be confirmed');
  });
});

describe('the payment status from the money', () => {
  const money = (total: string, captured: string, refunded: string, held: string) => ({
    total: new Prisma.Decimal(total),
    captured: new Prisma.Decimal(captured),
    refunded: new Prisma.Decimal(refunded),
    held: new Prisma.Decimal(held),
  });

  it('says AUTHORIZED, PARTIALLY_PAID, PAID, PARTIALLY_REFUNDED or REFUNDED, else what it was', () => {
    expect(paymentStatusAfter(money('50', '0', '0', '50'), 'PENDING')).toBe('AUTHORIZED');
    expect(paymentStatusAfter(money('50', '20', '0', '30'), 'AUTHORIZED')).toBe('PARTIALLY_PAID');
    expect(paymentStatusAfter(money('50', '20', '0', '0'), 'AUTHORIZED')).toBe('PARTIALLY_PAID');
    expect(paymentStatusAfter(money('50', '50', '0', '0'), 'PARTIALLY_PAID')).toBe('PAID');
    expect(paymentStatusAfter(money('50', '50', '10', '0'), 'PAID')).toBe('PARTIALLY_REFUNDED');
    expect(paymentStatusAfter(money('50', '20', '20', '0'), 'PARTIALLY_PAID')).toBe('REFUNDED');
    expect(paymentStatusAfter(money('50', '0', '0', '0'), 'VOIDED')).toBe('VOIDED');
    expect(paymentStatusAfter(money('50', '0', '0', '0'), 'PENDING')).toBe('PENDING');
  });
});
