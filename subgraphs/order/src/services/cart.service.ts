import { requestCurrency } from '@commerce/currency';
import { randomBytes } from 'node:crypto';
import { Prisma, selectRead, type Cart, type CartLine, type Transaction } from '@commerce/database';
import {
  InputErrors,
  keyOrNull,
  notFound,
  requireCustomer,
  requireStore,
  toGlobalId,
  unauthenticated,
} from '@commerce/graphql-kit';
import { availableToSell } from '@commerce/inventory';
import { logger } from '@commerce/observability';
import type {
  CartCreateInput,
  CartErrorCode,
  CartLineInput,
  CartLineUpdateInput,
  CartShippingAddressUpdateInput,
} from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { addressJson, readAddress } from './address.js';
import { appendCartCreated } from './cart-events.js';
import { CLEANUP_ONE_IN, cartExpiresAt, deleteExpiredCarts, isExpired } from './cart-expiry.js';
import { normalizeCode, variantSnapshots, type VariantSnapshot } from './cart-quote.js';
import { buildCartView, cartError, cartLines, type CartUserError, type CartView } from './cart-view.js';

/** Lines a cart may hold, and units a line may have. */
export const MAX_CART_LINES = 100;
export const MAX_LINE_QUANTITY = 10_000;
const MAX_DISCOUNT_CODES = 5;
const MAX_CODE_LENGTH = 50;

/** What the cart mutations answer. */
export interface CartResult {
  cart: CartView | null;
  userErrors: CartUserError[];
}

/** A line of a cart merge and what happened to it. */
export interface CartMergeLine {
  /** The variant's global id. */
  variantId: string;
  title: string;
  requestedQuantity: number;
  quantity: number;
  outcome: 'KEPT' | 'ADDED' | 'MERGED' | 'CAPPED' | 'DROPPED';
  reason: string | null;
}

/** A new cart id: 32 random bytes, base64url (43 characters). Knowing it is the right to use an anonymous cart. */
export function newCartToken(): string {
  return randomBytes(32).toString('base64url');
}

const CART_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** Whether an id has the shape of a cart token (anything else is no cart). */
export function isCartToken(id: string): boolean {
  return CART_TOKEN.test(id);
}

/** The customer who calls, if a customer calls; sellers and anonymous callers shop as guests. */
export function callingCustomerId(context: SubgraphContext): string | null {
  return context.viewer.kind === 'customer' ? context.viewer.customerId : null;
}

/** Whether the caller may use a cart: anyone holding an anonymous cart's id, only its customer for a customer's cart. */
export function mayUseCart(context: SubgraphContext, cart: Cart): boolean {
  return cart.customerId === null || cart.customerId === callingCustomerId(context);
}

/** The cart, locked until the transaction ends, if the caller may use it. */
export async function lockCart(tx: Transaction, context: SubgraphContext, cartId: string): Promise<Cart | null> {
  if (!CART_TOKEN.test(cartId)) return null;
  const storeId = requireStore(context).id;
  const [cart] = await tx.$queryRaw<Cart[]>`
    SELECT * FROM "Cart" WHERE "storeId" = ${storeId}::uuid AND "id" = ${cartId} FOR UPDATE`;
  return cart && mayUseCart(context, cart) ? cart : null;
}

/** A cart by id for `cart(id)`: null when unknown, expired or another customer's. */
export async function findCart(context: SubgraphContext, cartId: string): Promise<CartView | null> {
  const store = requireStore(context);
  if (!CART_TOKEN.test(cartId)) return null;
  return context.db.read(async (tx) => {
    const cart = await tx.cart.findUnique({ where: { storeId_id: { storeId: store.id, id: cartId } } });
    if (!cart || !mayUseCart(context, cart) || (cart.status === 'ACTIVE' && isExpired(cart))) return null;
    return buildCartView(tx, cart);
  });
}

type WantedLine = { variantId: string; quantity: number; field: string[] };

/** Validates line inputs; lines of the same variant add up. */
function readLines(errors: InputErrors<CartErrorCode>, field: string[], lines: readonly CartLineInput[]): WantedLine[] {
  if (lines.length > MAX_CART_LINES) errors.add(field, `A cart holds at most ${MAX_CART_LINES} lines.`, 'TOO_MANY');
  const wanted = new Map<string, WantedLine>();
  lines.forEach((line, index) => {
    const at = [...field, String(index)];
    const variantId = keyOrNull(line.variantId, 'ProductVariant');
    if (!variantId) errors.add([...at, 'variantId'], 'There is no such variant in this store.', 'NOT_FOUND');
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1 || line.quantity > MAX_LINE_QUANTITY) {
      errors.add([...at, 'quantity'], `Use a quantity from 1 to ${MAX_LINE_QUANTITY}.`, 'INVALID');
    }
    if (!variantId) return;
    const earlier = wanted.get(variantId);
    wanted.set(variantId, {
      variantId,
      quantity: (earlier?.quantity ?? 0) + line.quantity,
      field: earlier?.field ?? at,
    });
  });
  return [...wanted.values()];
}

/**
 * Sets lines to the wanted quantities (with a fresh snapshot of their variants) after checking that
 * each variant can be bought in that quantity; nothing is written when one cannot.
 */
async function writeLines(
  tx: Transaction,
  cart: Cart,
  existing: readonly CartLine[],
  wanted: readonly WantedLine[],
): Promise<CartUserError[]> {
  if (wanted.length === 0) return [];
  const ids = wanted.map((line) => line.variantId);
  const [variants, available] = [
    await selectRead(tx, variantSnapshots(cart.storeId, ids)),
    await selectRead(tx, availableToSell(cart.storeId, ids)),
  ];
  const errors: CartUserError[] = [];
  for (const line of wanted) {
    const variant = variants.get(line.variantId);
    const limit = available.get(line.variantId) ?? null;
    if (!variant)
      errors.push(cartError([...line.field, 'variantId'], 'There is no such variant in this store.', 'NOT_FOUND'));
    else if (!variant.purchasable)
      errors.push(cartError([...line.field, 'variantId'], `"${variant.title}" is not for sale.`, 'UNAVAILABLE'));
    else if (limit !== null && line.quantity > limit) {
      errors.push(
        cartError(
          [...line.field, 'quantity'],
          `Only ${limit} of "${variant.title}" available; you asked for ${line.quantity}.`,
          'INSUFFICIENT_STOCK',
          limit,
        ),
      );
    } else if (line.quantity > MAX_LINE_QUANTITY) {
      errors.push(cartError([...line.field, 'quantity'], `Use a quantity from 1 to ${MAX_LINE_QUANTITY}.`, 'INVALID'));
    }
  }
  const lineCount = new Set([...existing.map((line) => line.variantId), ...ids]).size;
  if (lineCount > MAX_CART_LINES)
    errors.push(cartError(null, `A cart holds at most ${MAX_CART_LINES} lines.`, 'TOO_MANY'));
  if (errors.length > 0) return errors;
  await upsertLines(
    tx,
    cart,
    wanted.map((line) => ({ quantity: line.quantity, variant: variants.get(line.variantId) as VariantSnapshot })),
  );
  return [];
}

/**
 * Inserts lines or sets their quantity, refreshing the snapshot, in one statement. New lines are
 * a millisecond apart, so the cart lists them in the order given. DO UPDATE SET takes the time
 * from the proposed row: Citus allows only IMMUTABLE functions there, not CURRENT_TIMESTAMP.
 */
async function upsertLines(
  tx: Transaction,
  cart: Cart,
  lines: readonly { quantity: number; variant: VariantSnapshot }[],
): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "CartLine" ("storeId", "cartId", "variantId", "productId", "quantity", "title", "variantTitle", "sku", "imageUrl", "selectedOptions", "unitPrice", "createdAt", "updatedAt")
    SELECT ${cart.storeId}::uuid, ${cart.id}, l."variantId", l."productId", l."quantity", l."title", l."variantTitle", l."sku", l."imageUrl", l."selectedOptions", l."unitPrice",
           CURRENT_TIMESTAMP + make_interval(secs => l."position" / 1000.0), CURRENT_TIMESTAMP
    FROM unnest(
      ${lines.map((line) => line.variant.id)}::uuid[], ${lines.map((line) => line.variant.productId)}::uuid[], ${lines.map((line) => line.quantity)}::int[],
      ${lines.map((line) => line.variant.title)}::text[], ${lines.map((line) => line.variant.variantTitle)}::text[], ${lines.map((line) => line.variant.sku)}::text[],
      ${lines.map((line) => line.variant.imageUrl)}::text[], ${lines.map((line) => JSON.stringify(line.variant.selectedOptions ?? []))}::jsonb[],
      ${lines.map((line) => line.variant.price.toFixed())}::numeric[]
    ) WITH ORDINALITY AS l("variantId", "productId", "quantity", "title", "variantTitle", "sku", "imageUrl", "selectedOptions", "unitPrice", "position")
    ON CONFLICT ("storeId", "cartId", "variantId") DO UPDATE
    SET "quantity" = EXCLUDED."quantity", "title" = EXCLUDED."title", "variantTitle" = EXCLUDED."variantTitle", "sku" = EXCLUDED."sku",
        "imageUrl" = EXCLUDED."imageUrl", "selectedOptions" = EXCLUDED."selectedOptions", "unitPrice" = EXCLUDED."unitPrice",
        "updatedAt" = EXCLUDED."updatedAt"`;
}

/** Marks the cart used now: its expiry moves on. */
function touch(
  context: SubgraphContext,
  tx: Transaction,
  cart: Cart,
  data: Prisma.CartUncheckedUpdateInput = {},
): Promise<Cart> {
  return tx.cart.update({
    where: { storeId_id: { storeId: cart.storeId, id: cart.id } },
    data: { ...data, expiresAt: cartExpiresAt(context.settings.cartTtlMs) },
  });
}

/**
 * Runs a change of a cart the caller may use, with the cart locked: an unknown cart (or another
 * customer's) is NOT_FOUND; a cart that is no longer open is a userError. With userErrors the cart
 * is answered as it was.
 */
async function changeCart(
  context: SubgraphContext,
  cartId: string,
  change: (tx: Transaction, cart: Cart, lines: CartLine[]) => Promise<{ errors: CartUserError[]; cart?: Cart }>,
): Promise<CartResult> {
  requireStore(context);
  return context.db.transaction(async (tx) => {
    const cart = await lockCart(tx, context, cartId);
    if (!cart) throw notFound(`Cart "${cartId}"`);
    if (cart.status !== 'ACTIVE' || isExpired(cart)) {
      const state = cart.status === 'ACTIVE' ? 'EXPIRED' : cart.status;
      return {
        cart: await buildCartView(tx, cart),
        userErrors: [cartError(['cartId'], `This cart is ${state}; create a new one.`, 'CART_NOT_ACTIVE')],
      };
    }
    const lines = await cartLines(tx, cart);
    const { errors, cart: changed } = await change(tx, cart, lines);
    if (errors.length > 0) return { cart: await buildCartView(tx, cart, lines), userErrors: errors };
    const updated = changed ?? (await touch(context, tx, cart));
    return { cart: await buildCartView(tx, updated), userErrors: [] };
  });
}

/** Creates a cart in the request's store: the calling customer's, else anonymous. */
export async function createCart(context: SubgraphContext, input: CartCreateInput): Promise<CartResult> {
  const store = requireStore(context);
  const errors = new InputErrors<CartErrorCode>();
  const wanted = readLines(errors, ['input', 'lines'], input.lines ?? []);
  if (!errors.ok)
    return { cart: null, userErrors: errors.errors.map((error) => ({ ...error, availableQuantity: null })) };
  // The cart keeps the currency it is created in (X-Currency, else the store's); no statement in the store's.
  const { currencyCode } = await requestCurrency(context);
  const result = await context.db
    .transaction(async (tx): Promise<CartResult> => {
      const cart = await tx.cart.create({
        data: {
          id: newCartToken(),
          storeId: store.id,
          customerId: callingCustomerId(context),
          currencyCode,
          expiresAt: cartExpiresAt(context.settings.cartTtlMs),
        },
      });
      const userErrors = await writeLines(tx, cart, [], wanted);
      if (userErrors.length > 0) throw new CartRefused(userErrors);
      const view = await buildCartView(tx, cart);
      await appendCartCreated(tx, store.id, cart.id);
      return { cart: view, userErrors: [] };
    })
    .catch((error: unknown) => {
      if (error instanceof CartRefused) return { cart: null, userErrors: error.userErrors };
      throw error;
    });
  if (Math.random() * CLEANUP_ONE_IN < 1) {
    context.db
      .transaction((tx) => deleteExpiredCarts(tx, store.id))
      .catch((error: unknown) => logger.error({ err: error }, 'expired cart cleanup failed'));
  }
  return result;
}

/** Rolls back a cart creation whose lines were refused. */
class CartRefused extends Error {
  constructor(readonly userErrors: CartUserError[]) {
    super('cart refused');
  }
}

/** Adds units: a variant already in the cart gets more. */
export function addCartLines(
  context: SubgraphContext,
  cartId: string,
  lines: readonly CartLineInput[],
): Promise<CartResult> {
  const errors = new InputErrors<CartErrorCode>();
  const wanted = readLines(errors, ['lines'], lines);
  if (!errors.ok)
    return Promise.resolve({
      cart: null,
      userErrors: errors.errors.map((error) => ({ ...error, availableQuantity: null })),
    });
  return changeCart(context, cartId, async (tx, cart, existing) => {
    const quantities = new Map(existing.map((line) => [line.variantId, line.quantity]));
    const summed = wanted.map((line) => ({ ...line, quantity: line.quantity + (quantities.get(line.variantId) ?? 0) }));
    return { errors: await writeLines(tx, cart, existing, summed) };
  });
}

/** Sets lines' quantities; 0 removes a line. */
export function updateCartLines(
  context: SubgraphContext,
  cartId: string,
  lines: readonly CartLineUpdateInput[],
): Promise<CartResult> {
  return changeCart(context, cartId, async (tx, cart, existing) => {
    const errors: CartUserError[] = [];
    const wanted: WantedLine[] = [];
    const removed: string[] = [];
    lines.forEach((input, index) => {
      const field = ['lines', String(index)];
      const key = keyOrNull(input.id, 'CartLine');
      const line = key ? existing.find((candidate) => candidate.id === key) : undefined;
      if (!line) errors.push(cartError([...field, 'id'], 'There is no such line in this cart.', 'NOT_FOUND'));
      else if (!Number.isSafeInteger(input.quantity) || input.quantity < 0 || input.quantity > MAX_LINE_QUANTITY) {
        errors.push(cartError([...field, 'quantity'], `Use a quantity from 0 to ${MAX_LINE_QUANTITY}.`, 'INVALID'));
      } else if (input.quantity === 0) removed.push(line.id);
      else wanted.push({ variantId: line.variantId, quantity: input.quantity, field });
    });
    if (errors.length > 0) return { errors };
    const refused = await writeLines(tx, cart, existing, wanted);
    if (refused.length > 0) return { errors: refused };
    if (removed.length > 0) await tx.cartLine.deleteMany({ where: { storeId: cart.storeId, id: { in: removed } } });
    return { errors: [] };
  });
}

/** Removes lines. */
export function removeCartLines(
  context: SubgraphContext,
  cartId: string,
  lineIds: readonly string[],
): Promise<CartResult> {
  return changeCart(context, cartId, async (tx, cart, existing) => {
    const errors: CartUserError[] = [];
    const removed: string[] = [];
    lineIds.forEach((id, index) => {
      const key = keyOrNull(id, 'CartLine');
      if (!key || !existing.some((line) => line.id === key))
        errors.push(cartError(['lineIds', String(index)], 'There is no such line in this cart.', 'NOT_FOUND'));
      else removed.push(key);
    });
    if (errors.length === 0) await tx.cartLine.deleteMany({ where: { storeId: cart.storeId, id: { in: removed } } });
    return { errors };
  });
}

/** Replaces the cart's discount codes; whether each applies shows on the cart. */
export function updateCartDiscountCodes(
  context: SubgraphContext,
  cartId: string,
  codes: readonly string[],
): Promise<CartResult> {
  return changeCart(context, cartId, async (tx, cart) => {
    const errors: CartUserError[] = [];
    if (codes.length > MAX_DISCOUNT_CODES)
      errors.push(cartError(['codes'], `Enter at most ${MAX_DISCOUNT_CODES} codes.`, 'TOO_MANY'));
    const normalized: string[] = [];
    codes.forEach((code, index) => {
      const value = normalizeCode(code);
      if (value === '') errors.push(cartError(['codes', String(index)], 'Enter a code.', 'BLANK'));
      else if (value.length > MAX_CODE_LENGTH)
        errors.push(
          cartError(['codes', String(index)], `Codes have at most ${MAX_CODE_LENGTH} characters.`, 'TOO_LONG'),
        );
      else if (!normalized.includes(value)) normalized.push(value);
    });
    if (errors.length > 0) return { errors };
    return { errors: [], cart: await touch(context, tx, cart, { discountCodes: normalized }) };
  });
}

/** At most this many points on a cart (an int column; any balance is far below). */
const MAX_LOYALTY_POINTS = 1_000_000_000;

/**
 * Applies the signed-in customer's loyalty points to their own cart (0 removes them). The balance
 * is checked here for a clear answer, and again at checkout, where the debit cannot overdraw it.
 */
export function applyCartLoyaltyPoints(context: SubgraphContext, cartId: string, points: number): Promise<CartResult> {
  const customerId = callingCustomerId(context);
  return changeCart(context, cartId, async (tx, cart) => {
    if (!Number.isInteger(points) || points < 0 || points > MAX_LOYALTY_POINTS)
      return { errors: [cartError(['points'], 'Give a whole number of points, 0 or more.', 'INVALID')] };
    if (points === 0) return { errors: [], cart: await touch(context, tx, cart, { loyaltyPoints: 0 }) };
    if (!customerId || cart.customerId !== customerId)
      return {
        errors: [
          cartError(['cartId'], 'Sign in and use your own cart to redeem loyalty points.', 'LOYALTY_NOT_AVAILABLE'),
        ],
      };
    const [row] = await tx.$queryRaw<{ enabled: boolean | null; balance: number | null }[]>`
      SELECT (SELECT p."enabled" FROM "LoyaltyProgram" p WHERE p."storeId" = ${cart.storeId}::uuid) AS "enabled",
             (SELECT b."points" FROM "LoyaltyBalance" b WHERE b."storeId" = ${cart.storeId}::uuid AND b."customerId" = ${customerId}::uuid) AS "balance"`;
    if (!row?.enabled)
      return {
        errors: [
          cartError(['cartId'], 'This store has no loyalty programme to redeem points in.', 'LOYALTY_NOT_AVAILABLE'),
        ],
      };
    const balance = row.balance ?? 0;
    if (points > balance)
      return {
        errors: [cartError(['points'], `You have ${balance} points; apply at most that many.`, 'INSUFFICIENT_POINTS')],
      };
    return { errors: [], cart: await touch(context, tx, cart, { loyaltyPoints: points }) };
  });
}

/** Sets where the cart ships to and, optionally, its shipping rate. */
export function updateCartShippingAddress(
  context: SubgraphContext,
  input: CartShippingAddressUpdateInput,
): Promise<CartResult> {
  const errors = new InputErrors<CartErrorCode>();
  const address = input.shippingAddress
    ? readAddress(errors, ['input', 'shippingAddress'], input.shippingAddress)
    : null;
  const rateId = input.shippingRateId ? keyOrNull(input.shippingRateId, 'ShippingRate') : null;
  if (input.shippingRateId && !rateId)
    errors.add(['input', 'shippingRateId'], 'There is no such shipping rate in this store.', 'NOT_FOUND');
  if (input.shippingRateId && !input.shippingAddress)
    errors.add(['input', 'shippingRateId'], 'Give a shipping address to choose a rate for.', 'INVALID');
  if (!errors.ok)
    return Promise.resolve({
      cart: null,
      userErrors: errors.errors.map((error) => ({ ...error, availableQuantity: null })),
    });
  return changeCart(context, input.cartId, async (tx, cart) => {
    const updated = await touch(context, tx, cart, {
      shippingAddress: address ? addressJson(address) : Prisma.DbNull,
      shippingRateId: rateId,
    });
    if (rateId) {
      const view = await buildCartView(tx, updated);
      if (!view.shippingRates.some((rate) => rate.id === rateId)) {
        return {
          errors: [
            cartError(
              ['input', 'shippingRateId'],
              'This rate does not ship this cart to this address; choose one of its shippingRates.',
              'SHIPPING_RATE_NOT_APPLICABLE',
            ),
          ],
        };
      }
    }
    return { errors: [], cart: updated };
  });
}

/**
 * Makes the cart the calling customer's and merges the lines of their other open carts into it.
 * Lines are capped at the units for sale and dropped when their variant cannot be bought; the
 * answer reports what happened to each line.
 */
export async function attachCartToCustomer(
  context: SubgraphContext,
  cartId: string,
): Promise<CartResult & { lines: CartMergeLine[] }> {
  requireStore(context);
  if (context.viewer.kind !== 'customer') throw unauthenticated('Sign in as a customer to take a cart over.');
  const { customerId } = requireCustomer(context);
  return context.db.transaction(async (tx) => {
    const target = await lockCart(tx, context, cartId);
    if (!target) throw notFound(`Cart "${cartId}"`);
    if (target.status !== 'ACTIVE' || isExpired(target)) {
      const state = target.status === 'ACTIVE' ? 'EXPIRED' : target.status;
      return {
        cart: await buildCartView(tx, target),
        lines: [],
        userErrors: [cartError(['cartId'], `This cart is ${state}; create a new one.`, 'CART_NOT_ACTIVE')],
      };
    }
    // The customer's other open carts, locked in id order (the target is locked already).
    const sources = await tx.$queryRaw<Cart[]>`
      SELECT * FROM "Cart"
      WHERE "storeId" = ${target.storeId}::uuid AND "customerId" = ${customerId}::uuid AND "status" = 'ACTIVE'
        AND "expiresAt" > CURRENT_TIMESTAMP AND "id" <> ${target.id}
      ORDER BY "id" FOR UPDATE`;
    const targetLines = await cartLines(tx, target);
    const sourceLines =
      sources.length > 0
        ? await tx.cartLine.findMany({
            where: { storeId: target.storeId, cartId: { in: sources.map((cart) => cart.id) } },
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
          })
        : [];
    const report = await mergeLines(tx, target, targetLines, sourceLines);
    if (sources.length > 0) {
      await tx.cart.updateMany({
        where: { storeId: target.storeId, id: { in: sources.map((cart) => cart.id) } },
        data: { status: 'MERGED' },
      });
    }
    const codes = [...new Set([...target.discountCodes, ...sources.flatMap((cart) => cart.discountCodes)])].slice(
      0,
      MAX_DISCOUNT_CODES,
    );
    const updated = await touch(context, tx, target, { customerId, discountCodes: codes });
    return { cart: await buildCartView(tx, updated), lines: report, userErrors: [] };
  });
}

/** Merges source lines into the target cart's lines, capped at the units for sale; writes the result and reports each line. */
async function mergeLines(
  tx: Transaction,
  target: Cart,
  targetLines: readonly CartLine[],
  sourceLines: readonly CartLine[],
): Promise<CartMergeLine[]> {
  const ids = [...new Set([...targetLines, ...sourceLines].map((line) => line.variantId))];
  // Two carts without lines read nothing.
  const variants =
    ids.length === 0 ? new Map<string, VariantSnapshot>() : await selectRead(tx, variantSnapshots(target.storeId, ids));
  const available =
    ids.length === 0 ? new Map<string, number | null>() : await selectRead(tx, availableToSell(target.storeId, ids));
  const report: CartMergeLine[] = [];
  const keep: { quantity: number; variant: VariantSnapshot }[] = [];
  const drop: string[] = [];
  let retained = 0;
  for (const variantId of ids) {
    const mine = targetLines.find((line) => line.variantId === variantId);
    const theirs = sourceLines.filter((line) => line.variantId === variantId);
    const requested = (mine?.quantity ?? 0) + theirs.reduce((sum, line) => sum + line.quantity, 0);
    const variant = variants.get(variantId);
    const limit = Math.min(available.get(variantId) ?? MAX_LINE_QUANTITY, MAX_LINE_QUANTITY);
    let outcome: CartMergeLine['outcome'] = mine ? (theirs.length > 0 ? 'MERGED' : 'KEPT') : 'ADDED';
    let reason: string | null = null;
    let quantity = requested;
    if (!variant?.purchasable) {
      [outcome, reason, quantity] = [
        'DROPPED',
        variant ? 'The product is no longer for sale.' : 'The product no longer exists.',
        0,
      ];
    } else if (limit <= 0) {
      [outcome, reason, quantity] = ['DROPPED', 'Out of stock.', 0];
    } else if (retained >= MAX_CART_LINES) {
      [outcome, reason, quantity] = ['DROPPED', `A cart holds at most ${MAX_CART_LINES} lines.`, 0];
    } else if (requested > limit) {
      [outcome, reason, quantity] = ['CAPPED', `Only ${limit} available.`, limit];
    }
    if (outcome === 'DROPPED') {
      if (mine) drop.push(mine.id);
    } else {
      retained += 1;
      if (variant && outcome !== 'KEPT') keep.push({ quantity, variant });
    }
    report.push({
      variantId: toGlobalId('ProductVariant', variantId),
      title: variant?.title ?? mine?.title ?? theirs[0]?.title ?? '',
      requestedQuantity: requested,
      quantity,
      outcome,
      reason,
    });
  }
  if (drop.length > 0) await tx.cartLine.deleteMany({ where: { storeId: target.storeId, id: { in: drop } } });
  if (keep.length > 0) await upsertLines(tx, target, keep);
  return report;
}
