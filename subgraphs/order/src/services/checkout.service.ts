// checkoutComplete: a cart becomes an order in ONE transaction, or nothing happens. The steps,
// and the guarantees buyers see, are walked through once, in the README (Checkout). What this code
// must keep when it changes:
// - Row locks are taken in one order, the same as every other writer of these rows: the cart (with
//   the idempotency key), the stock levels in (variant, location) order (lockLevelsSql), discount
//   codes, the buyer's stats, then the store's counter. Concurrent checkouts then wait for each
//   other and never deadlock, and the levels stay locked until commit, so nothing is oversold.
// - Prices come from the rows read in the transaction, never from the client.
// - The counter row (gap-free order numbers) is taken last and sent with COMMIT in one message
//   (commitWith), so no round trip to this process happens while it is held; the statement checks
//   itself that the stock writes went as planned.
// - Every statement is time that other checkouts of the same variants wait: without discount
//   codes a checkout is the tenant scope, three statements and COMMIT (tests count them).
import { randomUUID } from 'node:crypto';
import { Prisma, type Cart, type DiscountCode, type Order, type RawSql, type SqlTransaction } from '@commerce/database';
import { outboxInsertSql, type OrderCreatedPayload, type OutboxEventInput } from '@commerce/events';
import {
  InputErrors,
  keyOrNull,
  minorUnits,
  normalizeEmail,
  notFound,
  requireStore,
  violatesUniqueIndex,
} from '@commerce/graphql-kit';
import {
  inventoryEvents,
  lockLevelsSql,
  planReservation,
  type LockedLevel,
  type ReservationPlan,
  type ReservedLine,
} from '@commerce/inventory';
import { buyerNotificationSql } from '@commerce/mail';
import { loyaltyEarnCtes, loyaltyEarnedEvent, pointsEarned } from '@commerce/loyalty';
import type { CartErrorCode, CheckoutCompleteInput } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { paymentProvider, type PaymentOutcome, type PaymentProvider } from '../payments/index.js';
import { addressJson, readAddress, type MailingAddress } from './address.js';
import { isExpired } from './cart-expiry.js';
import { priceQuote, quoteInputs, type Quote, type QuoteInputs, type VariantSnapshot } from './cart-quote.js';
import { recordFailedCheckout } from './cart-events.js';
import { callingCustomerId, isCartToken, mayUseCart } from './cart.service.js';
import { cartError, type CartUserError } from './cart-view.js';
import { actorOf, eventTime, stockActorType, type OrderActor } from './order-events.js';
import { convertAmount } from '@commerce/currency';
import { commissionOf } from './pricing.js';
import { storeAmountsOf } from './store-amounts.js';

/** What checkoutComplete answers. */
export interface CheckoutResult {
  order: Order | null;
  userErrors: CartUserError[];
}

const MAX_KEY_LENGTH = 255;
const IDEMPOTENCY_INDEX = 'Order_storeId_idempotencyKey_key';

interface CheckoutRequest {
  storeId: string;
  customerId: string | null;
  actor: OrderActor;
  key: string;
  cartId: string;
  email: string;
  shippingAddress: MailingAddress;
  billingAddress: MailingAddress;
  shippingRateId: string | null;
  provider: PaymentProvider;
  cardNumber: string | null;
  /** The platform's share of the payment (PLATFORM_COMMISSION_RATE). */
  commissionRate: Prisma.Decimal;
}

/** Refuses the checkout from inside its transaction: everything done so far rolls back. */
class CheckoutRefusal extends Error {
  constructor(readonly userErrors: CartUserError[]) {
    super('checkout refused');
  }
}

/** Turns a cart into an order, once per idempotency key (see the top of this file). */
export async function completeCheckout(
  context: SubgraphContext,
  input: CheckoutCompleteInput,
  idempotencyKey: string,
): Promise<CheckoutResult> {
  const store = requireStore(context);
  const errors = new InputErrors<CartErrorCode>();
  const key = idempotencyKey.trim();
  if (key === '')
    errors.add(
      ['idempotencyKey'],
      'Give a key that identifies this checkout attempt, and repeat it on retries.',
      'BLANK',
    );
  else if (key.length > MAX_KEY_LENGTH)
    errors.add(['idempotencyKey'], `Use at most ${MAX_KEY_LENGTH} characters.`, 'TOO_LONG');
  errors.email(['input', 'email'], input.email);
  const shippingAddress = readAddress(errors, ['input', 'shippingAddress'], input.shippingAddress);
  const billingAddress = input.billingAddress
    ? readAddress(errors, ['input', 'billingAddress'], input.billingAddress)
    : shippingAddress;
  const shippingRateId = input.shippingRateId ? keyOrNull(input.shippingRateId, 'ShippingRate') : null;
  if (input.shippingRateId && !shippingRateId)
    errors.add(['input', 'shippingRateId'], 'There is no such shipping rate in this store.', 'NOT_FOUND');
  const provider = paymentProvider(input.payment.provider);
  for (const problem of provider.validate(input.payment)) errors.add(problem.field, problem.message, problem.code);
  if (!errors.ok || !shippingAddress || !billingAddress) {
    return { order: null, userErrors: errors.errors.map((error) => ({ ...error, availableQuantity: null })) };
  }
  const request: CheckoutRequest = {
    storeId: store.id,
    customerId: callingCustomerId(context),
    actor: context.viewer.kind === 'customer' ? actorOf(context) : { type: 'GUEST', id: null },
    key,
    cartId: input.cartId,
    email: normalizeEmail(input.email),
    shippingAddress,
    billingAddress,
    shippingRateId,
    provider,
    cardNumber: input.payment.cardNumber?.replace(/[\s-]/g, '') ?? null,
    commissionRate: context.settings.platformCommissionRate,
  };
  try {
    // Checkouts wait for row locks of hot variants and counters; one that runs out of time rolls back and is told TRY_AGAIN.
    const { checkoutTimeoutMs } = context.settings;
    const result = await context.checkoutLines.run(store.id, () =>
      context.db.sqlTransaction((tx) => placeOrder(tx, context, request), { timeout: checkoutTimeoutMs }),
    );
    return await withFailedAttempt(context, request, result);
  } catch (error) {
    if (error instanceof CheckoutRefusal)
      return withFailedAttempt(context, request, { order: null, userErrors: error.userErrors });
    // A concurrent checkout with the same key (and another cart) committed first: this one rolled back.
    if (violatesUniqueIndex(error, IDEMPOTENCY_INDEX, ['storeId', 'idempotencyKey'])) {
      const earlier = await context.db.transaction((tx) =>
        tx.order.findUnique({ where: { storeId_idempotencyKey: { storeId: store.id, idempotencyKey: key } } }),
      );
      if (earlier) return replay(earlier, request);
    }
    throw error;
  }
}

/** The result, after recording the attempt when it refused a cart (the conversion funnel counts it). */
async function withFailedAttempt(
  context: SubgraphContext,
  request: CheckoutRequest,
  result: CheckoutResult,
): Promise<CheckoutResult> {
  const [first] = result.userErrors;
  if (result.order === null && first) await recordFailedCheckout(context, request.storeId, request.cartId, first.code);
  return result;
}

/** The answer for a key that placed an order already: that order, if it was for the same cart. */
function replay(order: Order, request: CheckoutRequest): CheckoutResult {
  if (order.cartId === request.cartId) return { order, userErrors: [] };
  return {
    order: null,
    userErrors: [
      cartError(
        ['idempotencyKey'],
        'This idempotency key placed an order for another cart; use a new key for a new checkout.',
        'IDEMPOTENCY_KEY_REUSED',
      ),
    ],
  };
}

function refused(userErrors: CartUserError[]): CheckoutResult {
  return { order: null, userErrors };
}

interface LockedCart extends Cart {
  /** The order an earlier checkout with this idempotency key placed, as of the statement's start. */
  earlierOrderId: string | null;
  storeStatus: string;
  guestCheckoutEnabled: boolean;
  emailVerificationRequired: boolean;
  minOrderAmount: Prisma.Decimal | null;
  maxOrderAmount: Prisma.Decimal | null;
  paymentCaptureMode: 'AUTOMATIC' | 'ON_FULFILLMENT' | 'MANUAL';
  customerStatus: string | null;
  emailVerifiedAt: Date | null;
  /** Points per unit of currency a paid order earns; null without an enabled loyalty programme. */
  loyaltyPointsPerUnit: Prisma.Decimal | null;
}

/**
 * The cart, locked until commit, with the order an earlier checkout with this key placed, the
 * store's checkout rules and the buyer's account status (the store's and the customer subgraph's
 * data, read here so that the rules and the order are one snapshot); null when there is no such
 * cart. The earlier order is looked up as the statement starts: one
 * committed while this checkout waited for the cart lock shows as the cart being COMPLETED (same
 * cart), or as the idempotency key's unique violation at the end (another cart).
 *
 * Citus runs FOR UPDATE only in a statement it routes to one shard, and it prunes each table by
 * that table's own conditions: the subqueries name the store, not the cart row's "storeId". The
 * customer is read by subqueries, not by an outer join: for a guest its condition folds to a
 * constant (cu."id" = NULL), and Citus plans no outer join with such a condition on PostgreSQL 15.
 */
async function lockCartForCheckout(tx: RawSql, request: CheckoutRequest): Promise<LockedCart | null> {
  if (!isCartToken(request.cartId)) return null;
  const { storeId, customerId } = request;
  const [cart] = await tx.$queryRaw<LockedCart[]>`
    SELECT c.*,
           (SELECT o."id" FROM "Order" o WHERE o."storeId" = ${storeId}::uuid AND o."idempotencyKey" = ${request.key}) AS "earlierOrderId",
           s."status"::text AS "storeStatus", s."guestCheckoutEnabled", s."emailVerificationRequired", s."minOrderAmount", s."maxOrderAmount",
           s."paymentCaptureMode"::text AS "paymentCaptureMode",
           (SELECT cu."status"::text FROM "Customer" cu WHERE cu."storeId" = ${storeId}::uuid AND cu."id" = ${customerId}::uuid) AS "customerStatus",
           (SELECT cu."emailVerifiedAt" FROM "Customer" cu WHERE cu."storeId" = ${storeId}::uuid AND cu."id" = ${customerId}::uuid) AS "emailVerifiedAt",
           (SELECT p."pointsPerUnit" FROM "LoyaltyProgram" p WHERE p."storeId" = ${storeId}::uuid AND p."enabled") AS "loyaltyPointsPerUnit"
    FROM "Cart" c
    JOIN "Store" s ON s."id" = c."storeId"
    WHERE c."storeId" = ${storeId}::uuid AND c."id" = ${request.cartId}
    FOR UPDATE OF c`;
  return cart ?? null;
}

/** The order a key placed, when there is no cart to look it up with (the cart may be gone). */
async function orderIdOfKey(tx: RawSql, request: CheckoutRequest): Promise<string | null> {
  const [row] = await tx.$queryRaw<
    { id: string }[]
  >`SELECT "id" FROM "Order" WHERE "storeId" = ${request.storeId}::uuid AND "idempotencyKey" = ${request.key}`;
  return row?.id ?? null;
}

async function placeOrder(
  tx: SqlTransaction,
  context: SubgraphContext,
  request: CheckoutRequest,
): Promise<CheckoutResult> {
  const { storeId } = request;
  // 1 and 2. The key, and the cart, locked until commit.
  const cart = await lockCartForCheckout(tx, request);
  // Another customer's cart is no cart for this caller, whatever the key.
  if (cart && !mayUseCart(context, cart)) throw notFound(`Cart "${request.cartId}"`);
  const earlierId = cart ? cart.earlierOrderId : await orderIdOfKey(tx, request);
  if (earlierId) {
    const [earlier] = await tx.$queryRaw<Order[]>`
      SELECT * FROM "Order" WHERE "storeId" = ${storeId}::uuid AND "id" = ${earlierId}::uuid`;
    if (earlier) return replay(earlier, request);
  }
  if (!cart) throw notFound(`Cart "${request.cartId}"`);
  if (cart.status === 'COMPLETED') {
    const [placed] = cart.orderId
      ? await tx.$queryRaw<Order[]>`
          SELECT * FROM "Order" WHERE "storeId" = ${storeId}::uuid AND "id" = ${cart.orderId}::uuid`
      : [];
    if (placed?.idempotencyKey === request.key) return replay(placed, request);
    return refused([
      cartError(
        ['input', 'cartId'],
        `This cart was checked out already${placed ? ` (order #${placed.number})` : ''}; create a new cart.`,
        'CART_NOT_ACTIVE',
      ),
    ]);
  }
  if (cart.status !== 'ACTIVE' || isExpired(cart)) {
    return refused([
      cartError(
        ['input', 'cartId'],
        `This cart is ${cart.status === 'ACTIVE' ? 'EXPIRED' : cart.status}; create a new one.`,
        'CART_NOT_ACTIVE',
      ),
    ]);
  }

  // 3. The store's rules.
  const problems = buyerProblems(request, cart);
  if (problems.length > 0) return refused(problems);

  // 4. The lines, what pricing needs and the stock, locked; the price.
  const { lines, inputs, levels } = await readCheckoutSnapshot(tx, request, cart);
  if (lines.length === 0)
    return refused([cartError(['input', 'cartId'], 'The cart is empty; add something to it first.', 'CART_EMPTY')]);
  const quote = priceQuote(inputs, {
    currencyCode: cart.currencyCode,
    lines,
    codes: cart.discountCodes,
    address: request.shippingAddress,
    shippingRateId: request.shippingRateId ?? cart.shippingRateId,
    buyer: { customerId: request.customerId, email: request.email },
    withAvailability: false,
    now: new Date(),
    loyaltyPoints: redeemablePoints(request, cart),
  });
  const quoteProblems = orderProblems(request, cart, quote, ['input', 'cartId']);
  const points = redeemablePoints(request, cart);
  if (points > 0 && !inputs.loyaltyUnitValue)
    quoteProblems.push(
      cartError(
        ['input', 'cartId'],
        'The store no longer redeems loyalty points; remove them from the cart.',
        'LOYALTY_NOT_AVAILABLE',
      ),
    );
  if (quoteProblems.length > 0) return refused(quoteProblems);

  // 5. A use of each discount code, and the loyalty points applied.
  await useDiscountCodes(tx, request, quote.appliedCodes);
  const redeemed = pointsRedeemed(points, quote.priced.loyaltyDiscount, inputs.loyaltyUnitValue);
  const redeem = redeemed > 0 && request.customerId ? { customerId: request.customerId, points: redeemed } : null;
  if (redeem) await debitLoyaltyPoints(tx, storeId, redeem);

  // 6. Stock.
  const orderId = randomUUID();
  const reservation = await planReservation(
    tx,
    storeId,
    lines.map((line) => ({ variantId: line.variantId, quantity: line.quantity })),
    levels,
    { type: stockActorType(request.actor), id: request.actor.id, orderId },
  );
  if (!reservation.ok) {
    throw new CheckoutRefusal(
      reservation.shortages.map((shortage) => {
        const line = lines.find((candidate) => candidate.variantId === shortage.variantId);
        const title = line
          ? `"${line.title}${line.variantTitle && line.variantTitle !== 'Default' ? ` (${line.variantTitle})` : ''}"`
          : 'an item';
        return cartError(
          ['input', 'cartId'],
          `Only ${shortage.available} of ${title} available; the cart has ${shortage.requested}.`,
          'INSUFFICIENT_STOCK',
          shortage.available,
        );
      }),
    );
  }

  // 7. Payment: taken at once, or authorized for staff to capture (the store's capture mode).
  const payment = {
    amount: quote.priced.total,
    currencyCode: cart.currencyCode,
    orderId,
    cardNumber: request.cardNumber,
  };
  const outcome =
    cart.paymentCaptureMode === 'AUTOMATIC'
      ? await request.provider.charge(payment)
      : await request.provider.authorize(payment);
  if (outcome.status === 'DECLINED')
    throw new CheckoutRefusal([cartError(['input', 'payment'], outcome.message, 'PAYMENT_DECLINED')]);

  // 8. Everything else, in one statement.
  const completed = Prisma.sql`UPDATE "Cart" SET "status" = 'COMPLETED', "orderId" = ${orderId}::uuid, "email" = ${request.email}, "updatedAt" = CURRENT_TIMESTAMP
      WHERE "storeId" = ${storeId}::uuid AND "id" = ${cart.id}
      RETURNING 1`;
  const source = {
    currencyCode: cart.currencyCode,
    cartId: cart.id,
    completes: completed,
    placedHow: 'placed',
    loyaltyPointsPerUnit: cart.loyaltyPointsPerUnit,
    redeem,
  };
  const order = await writeOrder(tx, request, source, quote, reservation, orderId, outcome);
  return { order, userErrors: [] };
}

/** The loyalty points a checkout redeems: those on the signed-in buyer's own cart, else none. */
function redeemablePoints(request: Pick<CheckoutRequest, 'customerId'>, cart: Cart): number {
  return request.customerId && cart.customerId === request.customerId ? cart.loyaltyPoints : 0;
}

/**
 * The points a discount capped at the payable amount uses: all applied, or just those it takes to
 * pay the total (rounded up), so a customer never gives up points for nothing.
 */
function pointsRedeemed(applied: number, discount: Prisma.Decimal, unitValue: Prisma.Decimal | null): number {
  if (applied <= 0 || !unitValue || unitValue.lte(0)) return 0;
  return Math.min(applied, discount.div(unitValue).ceil().toNumber());
}

/**
 * Takes the points off the buyer's balance, only if it has them: the conditional UPDATE locks the
 * balance row (after the discount codes, before the buyer's stats), so a concurrent checkout with
 * the same points waits, then finds the balance short and is refused before any payment. The
 * ledger row, linked to the order, is written with the order (writeOrder), so the balance is the
 * ledger's sum at commit.
 */
async function debitLoyaltyPoints(
  tx: RawSql,
  storeId: string,
  redeem: { customerId: string; points: number },
): Promise<void> {
  const [taken] = await tx.$queryRaw<{ points: number }[]>`
    UPDATE "LoyaltyBalance" SET "points" = "points" - ${redeem.points}::int, "updatedAt" = CURRENT_TIMESTAMP
    WHERE "storeId" = ${storeId}::uuid AND "customerId" = ${redeem.customerId}::uuid AND "points" >= ${redeem.points}::int
    RETURNING "points"`;
  if (!taken) {
    throw new CheckoutRefusal([
      cartError(
        ['input', 'cartId'],
        `You no longer have the ${redeem.points} loyalty points applied to this cart; apply fewer.`,
        'INSUFFICIENT_POINTS',
      ),
    ]);
  }
}

/** A cart line as checkout reads it. */
interface CheckoutLine {
  variantId: string;
  quantity: number;
  title: string;
  variantTitle: string;
}

/**
 * One statement: the locked cart's lines (oldest first), the inputs of its price and the stock
 * levels of its variants, locked until commit (see the top of this file).
 */
async function readCheckoutSnapshot(
  tx: RawSql,
  request: CheckoutRequest,
  cart: Cart,
): Promise<{ lines: CheckoutLine[]; inputs: QuoteInputs; levels: LockedLevel[] }> {
  // An array expression (the cast), not a subquery: `= ANY(subquery)` would compare with each row.
  const variantIds = Prisma.sql`(SELECT coalesce(array_agg(cl."variantId"), '{}') FROM "CartLine" cl
    WHERE cl."storeId" = ${cart.storeId}::uuid AND cl."cartId" = ${cart.id})::uuid[]`;
  const inputs = quoteInputs(cart.storeId, variantIds, {
    currencyCode: cart.currencyCode,
    codes: cart.discountCodes,
    address: request.shippingAddress,
    buyer: { customerId: request.customerId, email: request.email },
    withAvailability: false,
    loyaltyPoints: redeemablePoints(request, cart),
  });
  const [row] = await tx.$queryRaw<{ lines: CheckoutLine[]; inputs: unknown; levels: LockedLevel[] }[]>`
    WITH locked AS (${lockLevelsSql(cart.storeId, variantIds)})
    SELECT
      (SELECT coalesce(jsonb_agg(jsonb_build_object('variantId', l."variantId", 'quantity', l."quantity", 'title', l."title", 'variantTitle', l."variantTitle")
                                 ORDER BY l."createdAt", l."id"), '[]'::jsonb)
       FROM "CartLine" l WHERE l."storeId" = ${cart.storeId}::uuid AND l."cartId" = ${cart.id}) AS "lines",
      ${inputs.sql} AS "inputs",
      (SELECT coalesce(jsonb_agg(to_jsonb(locked) ORDER BY locked."variantId", locked."locationId"), '[]'::jsonb) FROM locked) AS "levels"`;
  if (!row) throw new Error('The checkout snapshot returned no row.');
  return { lines: row.lines, inputs: inputs.decode(row.inputs), levels: row.levels };
}

/** Who places an order and how it is paid, as writeOrder needs it. */
export type OrderWriteRequest = Pick<
  CheckoutRequest,
  | 'storeId'
  | 'customerId'
  | 'actor'
  | 'key'
  | 'email'
  | 'shippingAddress'
  | 'billingAddress'
  | 'provider'
  | 'commissionRate'
>;

/** What an order is placed from: a cart, or a draft order. */
export interface OrderSource {
  currencyCode: string;
  /** The cart checked out; null for a draft order. */
  cartId: string | null;
  /** The UPDATE (RETURNING 1) that marks the cart or draft completed, in the order's statement. */
  completes: Prisma.Sql;
  /** How the timeline's PLACED entry says the order was placed ("placed", "placed from a draft by staff"). */
  placedHow: string;
  /** Points per unit of currency a paid order earns; null without an enabled loyalty programme (or for a draft). */
  loyaltyPointsPerUnit: Prisma.Decimal | null;
  /** The loyalty points redeemed, already debited from the balance (debitLoyaltyPoints); null for none. */
  redeem: { customerId: string; points: number } | null;
}

/**
 * Writes the order in one statement: the stock changes (levels locked by readCheckoutSnapshot),
 * the buyer's stats, the discount usages and the completed cart first (the stats row is locked
 * before the counter row, as every writer of both does), then the store's counter (the order
 * number and the outbox sequence; it locks the counter row until commit), the order, its lines,
 * its payment with its first transaction, the PLACED event and the outbox events. Foreign keys are
 * checked at the end of the statement, so the rows may reference each other. It commits the
 * transaction (commitWith): it fails, and nothing is written, unless the stock writes went as planned.
 * Every INSERT … SELECT returns its rows: without RETURNING (or ON CONFLICT), Citus writes such rows
 * into the shard with COPY, which PostgreSQL refuses under row-level security.
 */
export async function writeOrder(
  tx: SqlTransaction,
  request: OrderWriteRequest,
  cart: OrderSource,
  quote: Quote,
  reservation: ReservationPlan,
  orderId: string,
  outcome: Exclude<PaymentOutcome, { status: 'DECLINED' }>,
): Promise<Order> {
  const { storeId } = request;
  const { priced } = quote;
  // PAID, AUTHORIZED or PENDING: the order's and the payment's status alike.
  const paymentStatus = outcome.status;
  const paid = paymentStatus === 'PAID';
  const paidReference = outcome.reference;
  const lines = orderLines(quote, reservation.lines);
  const placedAt = new Date();
  // In a presentment currency, the store's amounts too (store-amounts.ts); read models and the buyer's stats count those.
  const store = quote.currency ? storeAmountsOf(priced, quote.currency, quote.currency.storeCurrencyCode) : null;
  const counted = store ?? { ...priced, currencyCode: cart.currencyCode, lines: null };
  // What read models count the order by (the analytics rollups); the number is added by the statement, which takes it.
  const created: OrderCreatedPayload = {
    orderId,
    placedAt: placedAt.toISOString(),
    customerId: request.customerId,
    email: request.email,
    currencyCode: counted.currencyCode,
    paymentStatus,
    subtotal: counted.subtotal.toFixed(),
    discounts: counted.discounts.toFixed(),
    shipping: counted.shipping.toFixed(),
    tax: counted.tax.toFixed(),
    total: counted.total.toFixed(minorUnits(counted.currencyCode)),
    lines: lines.map((line, index) => {
      const inStore = store?.lines[index];
      return {
        productId: line.productId,
        variantId: line.variantId,
        quantity: line.quantity,
        netSales: inStore
          ? inStore.totalPrice.minus(inStore.discountTotal).toFixed()
          : new Prisma.Decimal(line.totalPrice).minus(line.discountTotal).toFixed(),
      };
    }),
  };
  // A signed-in buyer who paid at once earns here, in the order's statement (see @commerce/loyalty).
  const earnedPoints =
    paid && request.customerId && cart.loyaltyPointsPerUnit
      ? pointsEarned(counted.total, new Prisma.Decimal(cart.loyaltyPointsPerUnit))
      : 0;
  const earn =
    earnedPoints > 0 && request.customerId
      ? { storeId, customerId: request.customerId, orderId, points: earnedPoints }
      : null;
  const events: OutboxEventInput[] = [
    ...inventoryEvents(storeId, reservation.changes),
    {
      storeId,
      type: 'order.created',
      aggregateType: 'Order',
      aggregateId: orderId,
      payload: created,
    },
    ...(earn ? [loyaltyEarnedEvent(earn)] : []),
    ...(cart.redeem
      ? [
          {
            storeId,
            type: 'loyalty.points_redeemed' as const,
            aggregateType: 'Customer',
            aggregateId: cart.redeem.customerId,
            payload: { customerId: cart.redeem.customerId, orderId, points: -cart.redeem.points },
          },
        ]
      : []),
  ];
  const outbox = outboxInsertSql(tx, events, Prisma.sql`counter."lastEventSequence"`, {
    from: Prisma.sql`counter,`,
    payloadMerge: Prisma.sql`CASE WHEN e."type" = 'order.created' THEN jsonb_build_object('number', counter."lastOrderNumber") ELSE '{}'::jsonb END`,
  });
  const commission = commissionOf(priced.total, request.commissionRate, cart.currencyCode);
  const amount = priced.total.toFixed(minorUnits(cart.currencyCode));
  const how = {
    PAID: `paid by ${request.provider.id}`,
    AUTHORIZED: `authorized by ${request.provider.id}, to be captured`,
    PENDING: `payment by ${request.provider.id} pending`,
  }[paymentStatus];
  const placed = `${cart.placedHow}: ${amount} ${cart.currencyCode}, ${how}.`;
  const codes = quote.appliedCodes;
  const [order] = await tx.commitWith<Order[]>(Prisma.sql`
    WITH ${reservation.levelWrites ? Prisma.sql`${reservation.levelWrites.ctes},` : Prisma.empty} stats AS (
      INSERT INTO "CustomerOrderStats" ("customerId", "storeId", "ordersCount", "totalSpent", "lastOrderAt")
      SELECT ${request.customerId}::uuid, ${storeId}::uuid, 1, ${counted.total.toFixed()}::numeric, ${placedAt}
      WHERE ${request.customerId}::uuid IS NOT NULL
      ON CONFLICT ("storeId", "customerId") DO UPDATE
      SET "ordersCount" = "CustomerOrderStats"."ordersCount" + 1,
          "totalSpent" = "CustomerOrderStats"."totalSpent" + EXCLUDED."totalSpent",
          "lastOrderAt" = EXCLUDED."lastOrderAt"
      RETURNING 1
    ), usages AS (
      INSERT INTO "DiscountCodeUsage" ("storeId", "discountCodeId", "orderId", "customerId", "email")
      SELECT ${storeId}::uuid, code, ${orderId}::uuid, ${request.customerId}::uuid, ${request.email}
      FROM unnest(${codes.map((code) => code.id)}::uuid[]) AS code
      RETURNING 1
    ), completed AS (
      ${cart.completes}
    ), ${earn ? Prisma.sql`${loyaltyEarnCtes(earn)},` : Prisma.empty} ${
      cart.redeem
        ? Prisma.sql`loyalty_redeemed AS (
      INSERT INTO "LoyaltyTransaction" ("storeId", "customerId", "kind", "points", "orderId")
      VALUES (${storeId}::uuid, ${cart.redeem.customerId}::uuid, 'REDEEM', ${-cart.redeem.points}::int, ${orderId}::uuid)
      RETURNING 1
    ),`
        : Prisma.empty
    } counter AS (
      -- Referring to the writes above makes them run (and take their row locks) before the counter's.
      UPDATE "StoreCounter" SET "lastOrderNumber" = "lastOrderNumber" + 1, "lastEventSequence" = "lastEventSequence" + ${events.length}::int
      WHERE "storeId" = ${storeId}::uuid AND (SELECT count(*) FROM stats) + (SELECT count(*) FROM usages) + (SELECT count(*) FROM completed) >= 0
      RETURNING "lastOrderNumber", "lastEventSequence"
    ), placed AS (
      INSERT INTO "Order" (
        "id", "storeId", "number", "customerId", "email", "paymentStatus", "currencyCode",
        "subtotal", "discountTotal", "shippingTotal", "taxTotal", "total", "taxesIncluded", "loyaltyPointsRedeemed", "loyaltyDiscount",
        "storeCurrencyCode", "exchangeRate", "storeSubtotal", "storeDiscountTotal", "storeShippingTotal", "storeTaxTotal", "storeLoyaltyDiscount", "storeTotal", "storeTotalRefunded",
        "shippingAddress", "billingAddress", "shippingRateName", "discountCodes", "idempotencyKey", "cartId",
        "placedAt", "createdAt", "updatedAt"
      )
      SELECT ${orderId}::uuid, ${storeId}::uuid, counter."lastOrderNumber", ${request.customerId}::uuid, ${request.email}, ${paymentStatus}::"PaymentStatus", ${cart.currencyCode},
             ${priced.subtotal.toFixed()}::numeric, ${priced.discounts.toFixed()}::numeric, ${priced.shipping.toFixed()}::numeric, ${priced.tax.toFixed()}::numeric, ${priced.total.toFixed()}::numeric, ${priced.taxesIncluded}, ${cart.redeem?.points ?? 0}::int, ${priced.loyaltyDiscount.toFixed()}::numeric,
             ${store?.currencyCode ?? null}::char(3), ${store?.rate.toFixed() ?? null}::numeric, ${store?.subtotal.toFixed() ?? null}::numeric, ${store?.discounts.toFixed() ?? null}::numeric,
             ${store?.shipping.toFixed() ?? null}::numeric, ${store?.tax.toFixed() ?? null}::numeric, ${store?.loyaltyDiscount.toFixed() ?? null}::numeric, ${store?.total.toFixed() ?? null}::numeric, ${store ? '0' : null}::numeric,
             ${JSON.stringify(addressJson(request.shippingAddress))}::jsonb, ${JSON.stringify(addressJson(request.billingAddress))}::jsonb, ${quote.shipping.selected?.name ?? null},
             ${codes.map((code) => code.code)}::text[], ${request.key}, ${cart.cartId},
             ${placedAt}, ${placedAt}, ${placedAt}
      FROM counter
      RETURNING *
    ), placed_lines AS (
      INSERT INTO "OrderLine" (
        "storeId", "orderId", "variantId", "productId", "title", "variantTitle", "sku", "imageUrl", "selectedOptions",
        "quantity", "unitPrice", "totalPrice", "discountTotal", "taxTotal", "storeTotalPrice", "storeDiscountTotal", "storeTaxTotal", "allocations", "createdAt"
      )
      -- A millisecond apart, so the lines keep the cart's order.
      SELECT ${storeId}::uuid, ${orderId}::uuid, l."variantId", l."productId", l."title", l."variantTitle", l."sku", l."imageUrl", l."selectedOptions",
             l."quantity", l."unitPrice", l."totalPrice", l."discountTotal", l."taxTotal", l."storeTotalPrice", l."storeDiscountTotal", l."storeTaxTotal", l."allocations",
             ${placedAt}::timestamptz + make_interval(secs => (l."position" - 1) / 1000.0)
      FROM unnest(
        ${lines.map((line) => line.variantId)}::uuid[], ${lines.map((line) => line.productId)}::uuid[], ${lines.map((line) => line.title)}::text[],
        ${lines.map((line) => line.variantTitle)}::text[], ${lines.map((line) => line.sku)}::text[], ${lines.map((line) => line.imageUrl)}::text[],
        ${lines.map((line) => line.selectedOptions)}::jsonb[], ${lines.map((line) => line.quantity)}::int[], ${lines.map((line) => line.unitPrice)}::numeric[],
        ${lines.map((line) => line.totalPrice)}::numeric[], ${lines.map((line) => line.discountTotal)}::numeric[], ${lines.map((line) => line.taxTotal)}::numeric[],
        ${lines.map((_line, index) => store?.lines[index]?.totalPrice.toFixed() ?? null)}::numeric[],
        ${lines.map((_line, index) => store?.lines[index]?.discountTotal.toFixed() ?? null)}::numeric[],
        ${lines.map((_line, index) => store?.lines[index]?.taxTotal.toFixed() ?? null)}::numeric[],
        ${lines.map((line) => line.allocations)}::jsonb[]
      ) WITH ORDINALITY AS l("variantId", "productId", "title", "variantTitle", "sku", "imageUrl", "selectedOptions", "quantity", "unitPrice", "totalPrice", "discountTotal", "taxTotal", "storeTotalPrice", "storeDiscountTotal", "storeTaxTotal", "allocations", "position")
      RETURNING 1
    ), payment AS (
      INSERT INTO "Payment" ("storeId", "orderId", "provider", "status", "amount", "commissionAmount", "netAmount", "capturedAmount", "currencyCode", "providerReference", "createdAt", "updatedAt")
      VALUES (${storeId}::uuid, ${orderId}::uuid, ${request.provider.id}, ${paymentStatus}, ${priced.total.toFixed()}::numeric, ${commission.toFixed()}::numeric,
              ${priced.total.minus(commission).toFixed()}::numeric, ${paid ? priced.total.toFixed() : '0'}::numeric, ${cart.currencyCode}, ${paidReference}, ${placedAt}, ${placedAt})
      RETURNING "id"
    ), payment_transaction AS (
      INSERT INTO "PaymentTransaction" ("storeId", "paymentId", "kind", "status", "amount", "providerReference", "createdAt")
      SELECT ${storeId}::uuid, payment."id", ${paymentStatus === 'AUTHORIZED' ? 'AUTHORIZATION' : 'SALE'}, ${paymentStatus === 'PENDING' ? 'PENDING' : 'SUCCESS'}, ${priced.total.toFixed()}::numeric, ${paidReference}, ${placedAt} FROM payment
      RETURNING 1
    ), placed_event AS (
      INSERT INTO "OrderEvent" ("storeId", "orderId", "type", "message", "actorType", "actorId", "createdAt")
      SELECT ${storeId}::uuid, ${orderId}::uuid, 'PLACED', 'Order #' || counter."lastOrderNumber" || ' ' || ${placed}, ${request.actor.type}, ${request.actor.id}, ${eventTime()}
      FROM counter
      RETURNING 1
    ), outbox AS (${outbox}), confirmation AS (${buyerNotificationSql(tx, {
      storeId,
      kind: 'ORDER_CONFIRMATION',
      to: request.email,
      data: { orderId },
    })})
    -- The statement commits with it (commitWith): what must hold is checked here, failing it.
    SELECT placed.* FROM (SELECT 1) AS one LEFT JOIN placed ON true
    WHERE app_check(placed."id" IS NOT NULL, ${`Store ${storeId} has no counter row.`})
      ${reservation.levelWrites ? Prisma.sql`AND ${reservation.levelWrites.check}` : Prisma.empty}`);
  if (!order) throw new Error('The order statement returned no row.');
  return order;
}

/** The rules of the store about who may check out. */
function buyerProblems(request: CheckoutRequest, cart: LockedCart): CartUserError[] {
  if (cart.storeStatus !== 'ACTIVE')
    return [cartError(null, 'The store is not taking orders right now; try again later.', 'STORE_UNAVAILABLE')];
  if (!request.customerId) {
    return cart.guestCheckoutEnabled
      ? []
      : [
          cartError(
            null,
            'This store sells to customers with an account only: sign in or sign up to check out.',
            'GUEST_CHECKOUT_DISABLED',
          ),
        ];
  }
  if (cart.customerStatus !== 'ACTIVE')
    return [cartError(null, 'This account cannot place orders; contact the store.', 'CUSTOMER_BLOCKED')];
  if (cart.emailVerificationRequired && !cart.emailVerifiedAt) {
    return [
      cartError(
        null,
        'Verify your email address first: follow the link in the email the store sent you.',
        'EMAIL_NOT_VERIFIED',
      ),
    ];
  }
  return [];
}

/**
 * What stands between the priced cart or draft and an order: unavailable lines, codes, shipping,
 * order amount; `field` is the input naming the cart or draft.
 */
export function orderProblems(
  request: Pick<CheckoutRequest, 'shippingRateId' | 'shippingAddress'>,
  cart: Pick<LockedCart, 'currencyCode' | 'minOrderAmount' | 'maxOrderAmount'>,
  quote: Quote,
  field: string[],
): CartUserError[] {
  const problems: CartUserError[] = [];
  for (const line of quote.lines) {
    if (line.variantId !== null && !line.variant?.purchasable) {
      problems.push(
        cartError(
          field,
          `"${line.variant?.title ?? 'An item'}" is no longer for sale; remove it from the cart.`,
          'UNAVAILABLE',
        ),
      );
    }
  }
  for (const evaluation of quote.discountCodes) {
    if (evaluation.refusal) {
      problems.push(
        cartError(
          field,
          `The code ${evaluation.code} does not apply (${evaluation.refusal}); remove it from the cart.`,
          'DISCOUNT_CODE_NOT_APPLICABLE',
        ),
      );
    }
  }
  const { shipping } = quote;
  if (request.shippingRateId && !shipping.requestedRateApplies) {
    problems.push(
      cartError(
        ['input', 'shippingRateId'],
        "This rate does not ship this cart to this address; choose one of the cart's shippingRates.",
        'SHIPPING_RATE_NOT_APPLICABLE',
      ),
    );
  } else if (shipping.configured && !shipping.covered) {
    problems.push(
      cartError(
        ['input', 'shippingAddress', 'countryCode'],
        `The store does not ship to ${request.shippingAddress.countryCode}.`,
        'SHIPPING_UNAVAILABLE',
      ),
    );
  } else if (shipping.configured && !shipping.selected) {
    problems.push(
      cartError(
        ['input', 'shippingAddress'],
        'No shipping rate of the store fits this order; change the order amount or the address.',
        'SHIPPING_UNAVAILABLE',
      ),
    );
  }
  const digits = minorUnits(cart.currencyCode);
  // The store's bounds are in its currency; a cart in another is held to their converted amounts.
  const bound = (amount: Prisma.Decimal | null) =>
    amount === null ? null : quote.currency ? convertAmount(amount, quote.currency) : new Prisma.Decimal(amount);
  const minOrderAmount = bound(cart.minOrderAmount);
  const maxOrderAmount = bound(cart.maxOrderAmount);
  if (minOrderAmount !== null && quote.subtotal.lessThan(minOrderAmount)) {
    problems.push(
      cartError(
        field,
        `Orders start at ${minOrderAmount.toFixed(digits)} ${cart.currencyCode}; add more to the cart.`,
        'MIN_ORDER_AMOUNT',
      ),
    );
  }
  if (maxOrderAmount !== null && quote.subtotal.greaterThan(maxOrderAmount)) {
    problems.push(
      cartError(
        field,
        `Orders go up to ${maxOrderAmount.toFixed(digits)} ${cart.currencyCode}; split the order.`,
        'MAX_ORDER_AMOUNT',
      ),
    );
  }
  if (quote.priced.total.greaterThan(new Prisma.Decimal('999999999999999')))
    problems.push(cartError(field, 'The order total is too large.', 'PRICE_OVERFLOW'));
  return problems;
}

/**
 * Takes one use of each code: the conditional UPDATE locks the code's row, so its total limit holds
 * under concurrency, and the buyer's uses are counted after that lock, so theirs does too.
 */
export async function useDiscountCodes(
  tx: RawSql,
  request: Pick<CheckoutRequest, 'storeId' | 'customerId' | 'email'>,
  codes: readonly DiscountCode[],
): Promise<void> {
  for (const code of [...codes].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const [taken] = await tx.$queryRaw<{ id: string }[]>`
      UPDATE "DiscountCode" SET "usedCount" = "usedCount" + 1, "updatedAt" = CURRENT_TIMESTAMP
      WHERE "storeId" = ${request.storeId}::uuid AND "id" = ${code.id}::uuid AND "active"
        AND ("usageLimit" IS NULL OR "usedCount" < "usageLimit")
      RETURNING "id"`;
    const exhausted = cartError(
      ['input', 'cartId'],
      `The code ${code.code} has been used up; remove it from the cart.`,
      'DISCOUNT_CODE_NOT_APPLICABLE',
    );
    if (!taken) throw new CheckoutRefusal([exhausted]);
    if (code.usageLimitPerCustomer !== null) {
      const [{ used }] = await tx.$queryRaw<[{ used: number }]>`
        SELECT count(*)::int AS "used" FROM "DiscountCodeUsage"
        WHERE "storeId" = ${request.storeId}::uuid AND "discountCodeId" = ${code.id}::uuid
          AND ("customerId" = ${request.customerId}::uuid OR "email" = ${request.email})`;
      if (used >= code.usageLimitPerCustomer) {
        throw new CheckoutRefusal([
          cartError(
            ['input', 'cartId'],
            `You have used the code ${code.code} as often as it allows; remove it from the cart.`,
            'DISCOUNT_CODE_NOT_APPLICABLE',
          ),
        ]);
      }
    }
  }
}

/** An order line as written: the variant as sold (current snapshot), its prices and where its units are committed. */
interface OrderLineRow {
  variantId: string | null;
  productId: string | null;
  title: string;
  variantTitle: string;
  sku: string | null;
  imageUrl: string | null;
  selectedOptions: string;
  quantity: number;
  unitPrice: string;
  totalPrice: string;
  discountTotal: string;
  taxTotal: string;
  allocations: string;
}

function orderLines(quote: Quote, reserved: readonly ReservedLine[]): OrderLineRow[] {
  return quote.lines.map((line) => {
    // A custom line (draft orders) has no variant: a title and a price only.
    const variant: VariantSnapshot | null = line.variant;
    const priced = line.priced;
    if (!priced || !line.unitPrice) throw new Error(`Line of variant ${line.variantId} has no price.`);
    return {
      variantId: variant?.id ?? null,
      productId: variant?.productId ?? null,
      title: variant?.title ?? line.customTitle ?? '',
      variantTitle: variant?.variantTitle ?? '',
      sku: variant?.sku ?? null,
      imageUrl: variant?.imageUrl ?? null,
      selectedOptions: JSON.stringify(variant?.selectedOptions ?? []),
      quantity: line.quantity,
      unitPrice: line.unitPrice.toFixed(),
      totalPrice: priced.subtotal.toFixed(),
      discountTotal: priced.discount.toFixed(),
      taxTotal: priced.tax.toFixed(),
      allocations: JSON.stringify(reserved.find((entry) => entry.variantId === line.variantId)?.allocations ?? []),
    };
  });
}
