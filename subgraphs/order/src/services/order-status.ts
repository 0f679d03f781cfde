// The one place that says which changes an order allows in which state.
//
//   PENDING ──confirm──▶ CONFIRMED ──fulfil (part)──▶ PROCESSING ──fulfil (rest)──▶ SHIPPED ──deliver──▶ DELIVERED
//      │                    │  └────────fulfil (all)──────────────────────────────────▲
//      └──cancel────────────┴──cancel──▶ CANCELLED            (customers cancel only PENDING orders)
//
// Payment moves on its own: PENDING ──markPaid──▶ PAID ──refund──▶ PARTIALLY_REFUNDED ──▶ REFUNDED;
// paid orders that are cancelled are refunded in full.
import type { FulfillmentStatus, Order, OrderLine, OrderStatus, PaymentStatus } from '@commerce/database';
import { userError, type UserError } from '@commerce/graphql-kit';
import type { OrderErrorCode } from '../__generated__/resolvers-types.js';

/** What can be done to an order. */
export type OrderAction = 'confirm' | 'fulfil' | 'deliver' | 'cancel' | 'customerCancel' | 'markPaid' | 'refund';

interface Rule {
  /** Order statuses the action is allowed from. */
  from: readonly OrderStatus[];
  /** Payment statuses it is allowed from (any when left out). */
  payment?: readonly PaymentStatus[];
  /** The action, as a message says it. */
  verb: string;
}

const RULES: Readonly<Record<OrderAction, Rule>> = {
  confirm: { from: ['PENDING'], verb: 'confirmed' },
  fulfil: { from: ['CONFIRMED', 'PROCESSING'], verb: 'fulfilled' },
  deliver: { from: ['SHIPPED'], verb: 'marked delivered' },
  cancel: { from: ['PENDING', 'CONFIRMED'], verb: 'cancelled' },
  customerCancel: { from: ['PENDING'], verb: 'cancelled by the customer' },
  markPaid: {
    from: ['PENDING', 'CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'COMPLETED'],
    payment: ['PENDING', 'FAILED'],
    verb: 'marked paid',
  },
  refund: {
    from: ['PENDING', 'CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'CANCELLED'],
    payment: ['PAID', 'PARTIALLY_REFUNDED'],
    verb: 'refunded',
  },
};

/** The INVALID_TRANSITION userError for an action the order's state does not allow, naming that state; null when allowed. */
export function checkTransition(
  order: Pick<Order, 'status' | 'paymentStatus'>,
  action: OrderAction,
): UserError<OrderErrorCode> | null {
  const rule = RULES[action];
  if (!rule.from.includes(order.status)) {
    return userError(
      ['input', 'orderId'],
      `The order is ${order.status}; it cannot be ${rule.verb} (only ${rule.from.join(' or ')} orders can).`,
      'INVALID_TRANSITION',
    );
  }
  if (rule.payment && !rule.payment.includes(order.paymentStatus)) {
    return userError(
      ['input', 'orderId'],
      `The order's payment is ${order.paymentStatus}; it cannot be ${rule.verb} (only with payment ${rule.payment.join(' or ')}).`,
      'INVALID_TRANSITION',
    );
  }
  return null;
}

/** Units of a line still to ship: neither shipped nor refunded (refunds take unshipped units first). */
export function openQuantity(line: Pick<OrderLine, 'quantity' | 'fulfilledQuantity' | 'refundedQuantity'>): number {
  return Math.max(0, line.quantity - line.fulfilledQuantity - line.refundedQuantity);
}

/** How far shipping is, from the lines, and the order status that follows after fulfilling. */
export function fulfillmentProgress(
  lines: readonly Pick<OrderLine, 'quantity' | 'fulfilledQuantity' | 'refundedQuantity'>[],
): {
  fulfillmentStatus: FulfillmentStatus;
  status: Extract<OrderStatus, 'PROCESSING' | 'SHIPPED'> | null;
} {
  const open = lines.reduce((sum, line) => sum + openQuantity(line), 0);
  const shipped = lines.reduce((sum, line) => sum + line.fulfilledQuantity, 0);
  if (shipped === 0) return { fulfillmentStatus: 'UNFULFILLED', status: null };
  return open === 0
    ? { fulfillmentStatus: 'FULFILLED', status: 'SHIPPED' }
    : { fulfillmentStatus: 'PARTIALLY_FULFILLED', status: 'PROCESSING' };
}
