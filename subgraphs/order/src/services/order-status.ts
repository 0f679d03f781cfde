// The one place that says which changes an order allows in which state, and where each leads:
// TRANSITIONS maps (order status × action) to the next status, with the payment statuses and
// store settings the action also needs. Every service that changes an order's status or payment
// asks it (checkTransition) and takes the next status from it (nextStatus).
//
//   PENDING ──confirm / accept──▶ CONFIRMED ──fulfil (part)──▶ PROCESSING ──fulfil (rest)──▶ SHIPPED ──deliver──▶ DELIVERED
//      │                            │  │                          │  ▲                                               ▲
//      │                            │  └──markReadyForPickup──▶ READY_FOR_PICKUP ──fulfil──┘                          │
//      │                            └──fulfil (all)───────────────────────────────────────────▶ SHIPPED              │
//      │                                                        PROCESSING ──deliver (store allows partial delivery)──┘
//      ├──reject / cancel / customerCancel──▶ CANCELLED
//      └ CONFIRMED, READY_FOR_PICKUP ──cancel──▶ CANCELLED
//
// Staff edit the lines of PENDING, CONFIRMED, PROCESSING and READY_FOR_PICKUP orders (edit); the
// status stays.
//
// Payment moves beside it (the order status stays): PENDING ──markPaid──▶ PAID; AUTHORIZED
// ──capture (part)──▶ PARTIALLY_PAID ──capture (rest)──▶ PAID; AUTHORIZED ──void──▶ VOIDED;
// PAID ──refund──▶ PARTIALLY_REFUNDED ──▶ REFUNDED. A cancelled order ends REFUNDED when money
// had been taken, else VOIDED (paymentStatusAfter).
import type { FulfillmentStatus, Order, OrderLine, OrderStatus, PaymentStatus, Prisma } from '@commerce/database';
import { userError, type UserError } from '@commerce/graphql-kit';
import type { OrderErrorCode } from '../__generated__/resolvers-types.js';

type Decimal = Prisma.Decimal;

/** What can be done to an order. */
export type OrderAction =
  | 'confirm'
  | 'accept'
  | 'reject'
  | 'markReadyForPickup'
  | 'fulfil'
  | 'deliver'
  | 'cancel'
  | 'customerCancel'
  | 'markPaid'
  | 'capture'
  | 'voidPayment'
  | 'refund'
  | 'edit';

/** Every action, in the order the table lists them. */
export const ORDER_ACTIONS: readonly OrderAction[] = [
  'confirm',
  'accept',
  'reject',
  'markReadyForPickup',
  'fulfil',
  'deliver',
  'cancel',
  'customerCancel',
  'markPaid',
  'capture',
  'voidPayment',
  'refund',
  'edit',
];

/** Every order status. */
export const ORDER_STATUSES: readonly OrderStatus[] = [
  'PENDING',
  'CONFIRMED',
  'PROCESSING',
  'READY_FOR_PICKUP',
  'SHIPPED',
  'DELIVERED',
  'COMPLETED',
  'CANCELLED',
];

/** The status an action leads to: a status, the same one, or what fulfilment progress says (fulfil). */
type Target = OrderStatus | 'SAME' | 'BY_FULFILLMENT';

/** The store settings some transitions depend on. */
export interface StatusSettings {
  /** The store lets staff mark an order delivered while part of it has not shipped. */
  partialDeliveryEnabled?: boolean;
}

interface Rule {
  /** The order statuses the action is allowed from, and where it leads from each. */
  to: Partial<Record<OrderStatus, Target>>;
  /** Payment statuses it is allowed from (any when left out). */
  payment?: readonly PaymentStatus[];
  /** Statuses from which the action needs a store setting on, and what to say when it is off. */
  needs?: { from: readonly OrderStatus[]; setting: keyof StatusSettings; message: string };
  /** The action, as a message says it. */
  verb: string;
}

const OPEN: readonly OrderStatus[] = [
  'PENDING',
  'CONFIRMED',
  'PROCESSING',
  'READY_FOR_PICKUP',
  'SHIPPED',
  'DELIVERED',
  'COMPLETED',
];

function same(statuses: readonly OrderStatus[]): Partial<Record<OrderStatus, Target>> {
  return Object.fromEntries(statuses.map((status) => [status, 'SAME']));
}

/** The status table. */
export const TRANSITIONS: Readonly<Record<OrderAction, Rule>> = {
  confirm: { to: { PENDING: 'CONFIRMED' }, verb: 'confirmed' },
  accept: { to: { PENDING: 'CONFIRMED' }, verb: 'accepted' },
  reject: { to: { PENDING: 'CANCELLED' }, verb: 'rejected' },
  markReadyForPickup: {
    to: { CONFIRMED: 'READY_FOR_PICKUP', PROCESSING: 'READY_FOR_PICKUP' },
    verb: 'marked ready for pickup',
  },
  fulfil: {
    to: { CONFIRMED: 'BY_FULFILLMENT', PROCESSING: 'BY_FULFILLMENT', READY_FOR_PICKUP: 'BY_FULFILLMENT' },
    verb: 'fulfilled',
  },
  deliver: {
    to: { SHIPPED: 'DELIVERED', PROCESSING: 'DELIVERED' },
    needs: {
      from: ['PROCESSING'],
      setting: 'partialDeliveryEnabled',
      message:
        'Part of the order has not shipped, and the store does not allow marking such orders delivered (settings.partialDeliveryEnabled); ship the rest first.',
    },
    verb: 'marked delivered',
  },
  cancel: {
    to: { PENDING: 'CANCELLED', CONFIRMED: 'CANCELLED', READY_FOR_PICKUP: 'CANCELLED' },
    verb: 'cancelled',
  },
  customerCancel: { to: { PENDING: 'CANCELLED' }, verb: 'cancelled by the customer' },
  markPaid: { to: same(OPEN), payment: ['PENDING', 'FAILED', 'VOIDED', 'PARTIALLY_PAID'], verb: 'marked paid' },
  capture: { to: same(OPEN), payment: ['AUTHORIZED', 'PARTIALLY_PAID'], verb: 'captured' },
  voidPayment: { to: same(OPEN), payment: ['AUTHORIZED', 'PARTIALLY_PAID'], verb: 'voided' },
  refund: {
    // Refunding the last units still to ship of a part-shipped order completes its shipment.
    to: { ...same([...OPEN, 'CANCELLED']), PROCESSING: 'BY_FULFILLMENT' },
    payment: ['PAID', 'PARTIALLY_PAID', 'PARTIALLY_REFUNDED'],
    verb: 'refunded',
  },
  // Lines change only while units are still to ship: not once everything shipped, nor when cancelled.
  edit: { to: same(['PENDING', 'CONFIRMED', 'PROCESSING', 'READY_FOR_PICKUP']), verb: 'edited' },
};

/** "A, B or C". */
function either(values: readonly string[]): string {
  return values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` : (values[0] ?? '');
}

/** The INVALID_TRANSITION userError for an action the order's state does not allow, naming that state; null when allowed. */
export function checkTransition(
  order: Pick<Order, 'status' | 'paymentStatus'>,
  action: OrderAction,
  settings: StatusSettings = {},
): UserError<OrderErrorCode> | null {
  const rule = TRANSITIONS[action];
  const from = Object.keys(rule.to) as OrderStatus[];
  if (!rule.to[order.status]) {
    return userError(
      ['input', 'orderId'],
      `The order is ${order.status}; it cannot be ${rule.verb} (only ${either(from)} orders can).`,
      'INVALID_TRANSITION',
    );
  }
  if (rule.payment && !rule.payment.includes(order.paymentStatus)) {
    return userError(
      ['input', 'orderId'],
      `The order's payment is ${order.paymentStatus}; it cannot be ${rule.verb} (only with payment ${either(rule.payment)}).`,
      'INVALID_TRANSITION',
    );
  }
  if (rule.needs?.from.includes(order.status) && !settings[rule.needs.setting]) {
    return userError(['input', 'orderId'], `The order is ${order.status}. ${rule.needs.message}`, 'INVALID_TRANSITION');
  }
  return null;
}

/**
 * The order status an allowed action leads to; for fulfil, the one `fulfillmentProgress` gives
 * (pass it as `progressed`). Throws for an action checkTransition refuses: ask it first.
 */
export function nextStatus(
  order: Pick<Order, 'status'>,
  action: OrderAction,
  progressed: OrderStatus | null = null,
): OrderStatus {
  const target = TRANSITIONS[action].to[order.status];
  if (!target) throw new Error(`An order that is ${order.status} cannot be ${TRANSITIONS[action].verb}.`);
  if (target === 'SAME') return order.status;
  if (target === 'BY_FULFILLMENT') return progressed ?? order.status;
  return target;
}

/** What is known of an order's money, for its payment status. */
export interface PaymentFigures {
  total: Decimal;
  /** Captured (received), before refunds. */
  captured: Decimal;
  refunded: Decimal;
  /** Authorized and still held for capture. */
  held: Decimal;
}

/**
 * The order's payment status from its money: refunds first (REFUNDED once all that was captured
 * went back), then what was captured of the total, then what is held; otherwise `otherwise`
 * (PENDING, FAILED or VOIDED, which money does not tell apart).
 */
export function paymentStatusAfter(figures: PaymentFigures, otherwise: PaymentStatus): PaymentStatus {
  if (figures.refunded.greaterThan(0))
    return figures.refunded.greaterThanOrEqualTo(figures.captured) ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
  if (figures.captured.greaterThan(0))
    return figures.captured.greaterThanOrEqualTo(figures.total) ? 'PAID' : 'PARTIALLY_PAID';
  if (figures.held.greaterThan(0)) return 'AUTHORIZED';
  return otherwise;
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
