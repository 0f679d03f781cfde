// What the order events carry: enough for a read model to count an order, its refunds and its
// cancellation without reading the order back (the analytics rollups, DESIGN §14). Amounts are
// exact decimal strings in the order's currency; instants are ISO 8601. Type aliases rather than
// interfaces, so that TypeScript takes them for the JSON values an outbox payload is.

/** An order line as the rollups count it. */
export type OrderLineFigures = {
  /** Null when the product was deleted since (the line keeps its snapshot). */
  productId: string | null;
  variantId: string | null;
  quantity: number;
  /** The line's price less its discount. */
  netSales: string;
};

/** Who placed an order: a customer, or a guest known by email. */
export type OrderBuyer = {
  customerId: string | null;
  email: string;
};

/** The order's money, as placed. */
export type OrderAmounts = {
  subtotal: string;
  discounts: string;
  shipping: string;
  tax: string;
  total: string;
};

/** `order.created`: the order as placed. */
export type OrderCreatedPayload = OrderBuyer &
  OrderAmounts & {
    orderId: string;
    /** Checkout's statement adds it as it takes the number. */
    number?: number;
    placedAt: string;
    currencyCode: string;
    /** PAID, AUTHORIZED (manual capture) or PENDING (paid later). */
    paymentStatus?: string;
    lines: OrderLineFigures[];
  };

/** A refunded part of a line. */
export type RefundLineFigures = {
  productId: string | null;
  variantId: string | null;
  quantity: number;
  amount: string;
};

/** `order.refunded`: money given back on an order; lines when the refund was by line. */
export type OrderRefundedPayload = OrderBuyer & {
  orderId: string;
  refundId: string;
  /** The return the refund settled, if any. */
  returnId?: string | null;
  placedAt: string;
  amount: string;
  lines: RefundLineFigures[];
};

/**
 * `order.cancelled`: the order leaves the figures. It carries what the order still counted for
 * just before: its amounts, what had been refunded, and each line's units and net sales left
 * after line refunds.
 */
export type OrderCancelledPayload = OrderBuyer &
  OrderAmounts & {
    orderId: string;
    placedAt: string;
    refunded: string;
    lines: OrderLineFigures[];
  };

/** An order's amounts and lines at one moment (before or after an edit). */
export type OrderFigures = OrderAmounts & { lines: OrderLineFigures[] };

/**
 * `order.edited`: staff changed the lines of an order. It carries the order's amounts and lines
 * (units and net sales, refunds not taken off) just before and just after, so that a read model
 * counts the difference.
 */
export type OrderEditedPayload = OrderBuyer & {
  orderId: string;
  placedAt: string;
  currencyCode: string;
  before: OrderFigures;
  after: OrderFigures;
};

/**
 * `order.payment_captured`: staff took `amount` of an authorization (manual capture); `captured`
 * is all the order's payments have captured since.
 */
export type OrderPaymentCapturedPayload = {
  orderId: string;
  transactionId: string;
  amount: string;
  captured: string;
  currencyCode: string;
};

/**
 * `order.paid`: an order placed unpaid (authorized, or awaiting a transfer) is now paid in full,
 * by its last capture or as recorded by staff. Orders paid at checkout announce it with
 * `order.created` (`paymentStatus: PAID`).
 */
export type OrderPaidPayload = {
  orderId: string;
  amount: string;
  currencyCode: string;
};

/** `order.fulfilled`: the shipment of an order's last units; every line has shipped. */
export type OrderFulfilledPayload = {
  orderId: string;
  /** The shipment that completed the order. */
  fulfillmentId: string;
};

/** `order.payment_voided`: what an order's payments still held or awaited was released. */
export type OrderPaymentVoidedPayload = {
  orderId: string;
  amount: string;
  currencyCode: string;
  /** STAFF (orderPaymentVoid), CANCELLED (the order was cancelled or rejected) or EXPIRED (the authorization outlived AUTHORIZATION_EXPIRY_HOURS). */
  reason: 'STAFF' | 'CANCELLED' | 'EXPIRED';
};

/** A line of a return: units of an order line, and what became of them so far. */
export type ReturnLineFigures = {
  returnLineId: string;
  orderLineId: string;
  productId: string | null;
  variantId: string | null;
  quantity: number;
  reason: string;
  receivedQuantity: number;
  restockedQuantity: number;
};

/** `return.requested`, `return.approved`, `return.declined`, `return.received`, `return.closed`: a return after the step. */
export type ReturnChangedPayload = OrderBuyer & {
  returnId: string;
  orderId: string;
  status: string;
  lines: ReturnLineFigures[];
};

/** `cart.created`. */
export type CartCreatedPayload = {
  cartId: string;
};

/** `checkout.attempted`: a checkout that ended in userErrors (a placed order counts as its own attempt). */
export type CheckoutAttemptedPayload = {
  cartId: string;
  /** The first refusal's code. */
  reason: string;
};

/** The key a buyer is counted under: the customer, or a guest's lower-cased email. */
export function buyerKey(buyer: OrderBuyer): string {
  return buyer.customerId ? `customer:${buyer.customerId}` : `email:${buyer.email.trim().toLowerCase()}`;
}
