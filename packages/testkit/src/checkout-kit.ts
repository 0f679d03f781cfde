// Arranging carts and checkouts through the gateway, as storefronts and the admin app do; shipping
// zones, tax rates and customers as rows (their mutations belong to other subgraphs).
import { issueAccessToken } from '@commerce/auth';
import { Prisma, type PrismaClient } from '@commerce/database';
import { toGlobalId } from '@commerce/graphql-kit';
import type { GraphClient } from './client.js';
import { keyOf, unique, type TestStore } from './seed.js';

export const MONEY = 'amount currencyCode';

export const CART_FIELDS = `
  id status totalQuantity expiresAt
  lines { id quantity title variantTitle sku imageUrl selectedOptions { name value } unitPrice { amount } totalPrice { amount } discount { amount } purchasable availableQuantity variant { id } }
  cost { subtotal { ${MONEY} } discounts { amount } shipping { amount } tax { amount } taxesIncluded total { ${MONEY} } }
  discountCodes { code applicable reason }
  shippingRates { id name price { amount } }
  selectedShippingRate { id name }
  buyer { id }`;

const USER_ERRORS = 'userErrors { field message code availableQuantity }';

export const ORDER_FIELDS = `
  id number email status paymentStatus fulfillmentStatus taxesIncluded
  subtotal { ${MONEY} } discountTotal { amount } shippingTotal { amount } taxTotal { amount } total { ${MONEY} } totalRefunded { amount } totalPaid { amount }
  discountCodes shippingRateName
  lines { id title variantTitle sku quantity fulfilledQuantity refundedQuantity unitPrice { amount } totalPrice { amount } discountTotal { amount } taxTotal { amount } variant { id } }
  customer { id }`;

export const CART_CREATE = `mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cart { ${CART_FIELDS} } ${USER_ERRORS} } }`;
export const CART_LINES_ADD = `mutation ($cartId: ID!, $lines: [CartLineInput!]!) { cartLinesAdd(cartId: $cartId, lines: $lines) { cart { ${CART_FIELDS} } ${USER_ERRORS} } }`;
export const CART_LINES_UPDATE = `mutation ($cartId: ID!, $lines: [CartLineUpdateInput!]!) { cartLinesUpdate(cartId: $cartId, lines: $lines) { cart { ${CART_FIELDS} } ${USER_ERRORS} } }`;
export const CART_LINES_REMOVE = `mutation ($cartId: ID!, $lineIds: [ID!]!) { cartLinesRemove(cartId: $cartId, lineIds: $lineIds) { cart { ${CART_FIELDS} } ${USER_ERRORS} } }`;
export const CART_CODES = `mutation ($cartId: ID!, $codes: [String!]!) { cartDiscountCodesUpdate(cartId: $cartId, codes: $codes) { cart { ${CART_FIELDS} } ${USER_ERRORS} } }`;
export const CART_ADDRESS = `mutation ($input: CartShippingAddressUpdateInput!) { cartShippingAddressUpdate(input: $input) { cart { ${CART_FIELDS} } ${USER_ERRORS} } }`;
export const CART_QUERY = `query ($id: ID!) { cart(id: $id) { ${CART_FIELDS} } }`;
export const CHECKOUT = `mutation ($input: CheckoutCompleteInput!, $key: String!) { checkoutComplete(input: $input, idempotencyKey: $key) { order { ${ORDER_FIELDS} } ${USER_ERRORS} } }`;

/**
 * A productCreate input (for createProduct) of an ACTIVE product with an image, and variants with
 * a unique SKU and 100 units in stock unless given; variants with a size make a Size option.
 */
export function stockedProductInput(
  variants: {
    price: string;
    stock?: number;
    sku?: string;
    trackInventory?: boolean;
    allowOversell?: boolean;
    size?: string;
  }[],
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const title = (overrides.title as string | undefined) ?? `Product ${unique('p')}`;
  const sized = variants.some((variant) => variant.size);
  return {
    title,
    status: 'ACTIVE',
    images: [{ url: 'https://example.com/product.jpg', altText: title }],
    ...(sized ? { options: [{ name: 'Size', values: variants.map((variant) => variant.size) }] } : {}),
    variants: variants.map((variant) => ({
      sku: variant.sku ?? unique('SKU').toUpperCase(),
      price: variant.price,
      inventoryQuantity: variant.stock ?? 100,
      ...(variant.trackInventory === undefined ? {} : { trackInventory: variant.trackInventory }),
      ...(variant.allowOversell === undefined ? {} : { allowOversell: variant.allowOversell }),
      ...(variant.size ? { options: [{ name: 'Size', value: variant.size }] } : {}),
    })),
    ...overrides,
  };
}

/** A shipping zone with rates, as rows. */
export async function insertShippingZone(
  owner: PrismaClient,
  store: TestStore,
  countries: string[],
  rates: { name: string; price: string; minOrderAmount?: string; maxOrderAmount?: string }[],
): Promise<{ zoneId: string; rateIds: string[] }> {
  const storeId = keyOf(store.id);
  const zone = await owner.shippingZone.create({ data: { storeId, name: unique('zone'), countries } });
  const rateIds: string[] = [];
  for (const rate of rates) {
    const created = await owner.shippingRate.create({
      data: {
        storeId,
        zoneId: zone.id,
        name: rate.name,
        price: new Prisma.Decimal(rate.price),
        minOrderAmount: rate.minOrderAmount ?? null,
        maxOrderAmount: rate.maxOrderAmount ?? null,
      },
    });
    rateIds.push(created.id);
  }
  return { zoneId: zone.id, rateIds };
}

/** A tax rate, as a row. */
export async function insertTaxRate(
  owner: PrismaClient,
  store: TestStore,
  countryCode: string,
  rate: string,
  inclusive: boolean,
  region: string | null = null,
): Promise<void> {
  await owner.taxRate.create({
    data: {
      storeId: keyOf(store.id),
      name: `Tax ${countryCode}`,
      countryCode,
      region,
      rate: new Prisma.Decimal(rate),
      inclusive,
    },
  });
}

export function address(countryCode = 'DE', overrides: Record<string, string> = {}): Record<string, string> {
  return {
    firstName: 'Ada',
    lastName: 'Lovelace',
    address1: 'Hauptstraße 1',
    city: 'Berlin',
    zip: '10115',
    countryCode,
    ...overrides,
  };
}

export interface CartLineRequest {
  variantId: string;
  quantity: number;
}

/** Creates a cart through the gateway (anonymous unless a customer token is given); fails on userErrors. */
export async function createCart(
  client: GraphClient,
  store: TestStore,
  lines: CartLineRequest[],
  token?: string,
): Promise<{ id: string; [key: string]: any }> {
  const data = await client.data(CART_CREATE, { input: { lines } }, { store: store.slug, token });
  if (data.cartCreate.userErrors.length) throw new Error(JSON.stringify(data.cartCreate.userErrors));
  return data.cartCreate.cart;
}

export interface CheckoutOptions {
  email?: string;
  key?: string;
  token?: string;
  countryCode?: string;
  shippingAddress?: Record<string, string>;
  shippingRateId?: string;
  payment?: { provider: string; cardNumber?: string };
}

/** Runs checkoutComplete through the gateway and returns the whole response. */
export function checkout(client: GraphClient, store: TestStore, cartId: string, options: CheckoutOptions = {}) {
  return client.execute(
    CHECKOUT,
    {
      key: options.key ?? unique('key'),
      input: {
        cartId,
        email: options.email ?? `${unique('buyer')}@example.com`,
        shippingAddress: options.shippingAddress ?? address(options.countryCode),
        ...(options.shippingRateId ? { shippingRateId: options.shippingRateId } : {}),
        payment: options.payment ?? { provider: 'TEST_CARD', cardNumber: '4242424242424242' },
      },
    },
    { store: store.slug, token: options.token },
  );
}

/** checkoutComplete that must place an order. */
export async function placeOrder(
  client: GraphClient,
  store: TestStore,
  cartId: string,
  options: CheckoutOptions = {},
): Promise<Record<string, any>> {
  const response = await checkout(client, store, cartId, options);
  const payload = response.data?.checkoutComplete;
  if (response.errors?.length || !payload?.order)
    throw new Error(`checkout failed: ${JSON.stringify(response.errors ?? payload?.userErrors)}`);
  return payload.order;
}

/** Units available and committed of a variant over all its locations, as the database holds them. */
export async function stockOf(
  owner: PrismaClient,
  variantGlobalId: string,
): Promise<{ available: number; committed: number }> {
  const levels = await owner.inventoryLevel.findMany({ where: { variantId: keyOf(variantGlobalId) } });
  return {
    available: levels.reduce((sum, level) => sum + level.available, 0),
    committed: levels.reduce((sum, level) => sum + level.committed, 0),
  };
}

export interface InsertedCustomer {
  id: string;
  key: string;
  email: string;
  accessToken: string;
}

/** A customer row of the store and an access token for it. */
export async function insertCustomer(owner: PrismaClient, store: TestStore): Promise<InsertedCustomer> {
  const email = `${unique('buyer')}@example.com`;
  const customer = await owner.customer.create({
    data: { storeId: keyOf(store.id), email, firstName: 'Test', lastName: 'Buyer' },
  });
  const accessToken = await issueAccessToken({ kind: 'customer', customerId: customer.id, storeId: keyOf(store.id) });
  return { id: toGlobalId('Customer', customer.id), key: customer.id, email, accessToken };
}
