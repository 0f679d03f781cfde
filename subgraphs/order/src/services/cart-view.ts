import type { Cart, CartLine, CartStatus, Transaction } from '@commerce/database';
import { Prisma } from '@commerce/database';
import type { UserError } from '@commerce/graphql-kit';
import { addressOf, type MailingAddress } from './address.js';
import { isExpired } from './cart-expiry.js';
import { convertPrice } from '@commerce/currency';
import { quoteCart, type DiscountRefusal, type ShippingRateOption } from './cart-quote.js';
import type { PricedCart } from './pricing.js';
import type { CartErrorCode } from '../__generated__/resolvers-types.js';

type Decimal = Prisma.Decimal;

/** A problem with a cart or checkout; INSUFFICIENT_STOCK says how many units there are. */
export interface CartUserError extends UserError<CartErrorCode> {
  availableQuantity: number | null;
}

export function cartError(
  field: string[] | null,
  message: string,
  code: CartErrorCode,
  availableQuantity: number | null = null,
): CartUserError {
  return { field, message, code, availableQuantity };
}

/** A cart line at current prices. */
export interface CartLineView extends CartLine {
  currencyCode: string;
  /** The current price of one unit (the snapshot's when the variant is gone). */
  currentUnitPrice: Decimal;
  lineSubtotal: Decimal;
  discount: Decimal;
  purchasable: boolean;
  availableQuantity: number | null;
}

/** A cart priced at current prices, as the API shows it. */
export interface CartView {
  cart: Cart;
  /** EXPIRED once past expiry, whatever the row says. */
  status: CartStatus;
  lines: CartLineView[];
  cost: PricedCart;
  discountCodes: { code: string; applicable: boolean; reason: DiscountRefusal | null }[];
  shippingAddress: MailingAddress | null;
  shippingRates: ShippingRateOption[];
  selectedShippingRate: ShippingRateOption | null;
}

/** The cart's lines, oldest first. */
export function cartLines(tx: Transaction, cart: Pick<Cart, 'storeId' | 'id'>): Promise<CartLine[]> {
  return tx.cartLine.findMany({
    where: { storeId: cart.storeId, cartId: cart.id },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}

/** Prices a cart with the store's current data, in the caller's transaction. */
export async function buildCartView(tx: Transaction, cart: Cart, lines?: CartLine[]): Promise<CartView> {
  const rows = lines ?? (await cartLines(tx, cart));
  const shippingAddress = addressOf(cart.shippingAddress);
  const quote = await quoteCart(tx, cart.storeId, {
    currencyCode: cart.currencyCode,
    lines: rows.map((line) => ({ variantId: line.variantId, quantity: line.quantity })),
    codes: cart.discountCodes,
    address: shippingAddress,
    shippingRateId: cart.shippingRateId,
    buyer: { customerId: cart.customerId, email: cart.email },
    withAvailability: true,
    now: new Date(),
    loyaltyPoints: cart.customerId ? cart.loyaltyPoints : 0,
  });
  return {
    cart,
    status: cart.status === 'ACTIVE' && isExpired(cart) ? 'EXPIRED' : cart.status,
    lines: rows.map((line, index) => {
      const quoted = quote.lines[index];
      // The line's snapshot is in the store's currency; a cart in another shows it converted.
      const snapshot = quote.currency ? convertPrice(line.unitPrice, quote.currency) : line.unitPrice;
      const price = quoted?.variant?.price ?? snapshot;
      return {
        ...line,
        currencyCode: cart.currencyCode,
        currentUnitPrice: price,
        lineSubtotal: quoted?.priced?.subtotal ?? price.times(line.quantity),
        discount: quoted?.priced?.discount ?? new Prisma.Decimal(0),
        purchasable: Boolean(quoted?.variant?.purchasable),
        availableQuantity: quoted?.availableQuantity ?? null,
      };
    }),
    cost: quote.priced,
    discountCodes: quote.discountCodes.map((evaluation) => ({
      code: evaluation.code,
      applicable: evaluation.refusal === null,
      reason: evaluation.refusal,
    })),
    shippingAddress,
    shippingRates: quote.shipping.rates,
    selectedShippingRate: quote.shipping.selected,
  };
}
