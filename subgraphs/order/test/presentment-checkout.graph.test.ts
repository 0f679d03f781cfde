import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  analyticsCaughtUp,
  createProduct,
  createStore,
  errorCodes,
  ownerPrisma,
  sharedTestGraph,
  unique,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import {
  CART_CREATE,
  address,
  insertShippingZone,
  insertTaxRate,
  stockedProductInput,
} from '@commerce/testkit/checkout-kit';
import { asOwner, succeed } from '@commerce/testkit/store-kit';

let graph: SharedTestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  graph = await sharedTestGraph();
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

const MONEY = 'amount currencyCode';
const ORDER = `id currencyCode: presentmentCurrencyCode storeCurrencyCode exchangeRate
  subtotal { ${MONEY} } shippingTotal { ${MONEY} } taxTotal { ${MONEY} } total { ${MONEY} } totalRefunded { ${MONEY} } totalPaid { ${MONEY} }
  lines { quantity unitPrice { ${MONEY} } totalPrice { ${MONEY} } }
  storeAmounts { subtotal { ${MONEY} } shippingTotal { ${MONEY} } taxTotal { ${MONEY} } total { ${MONEY} } totalRefunded { ${MONEY} } }`;
const CART = `id currencyCode lines { unitPrice { ${MONEY} } totalPrice { ${MONEY} } } cost { subtotal { ${MONEY} } total { ${MONEY} } }`;
const CREATE = `mutation ($input: CartCreateInput!) { cartCreate(input: $input) { cart { ${CART} } userErrors { field code } } }`;
const PLACE = `mutation ($input: CheckoutCompleteInput!, $key: String!) { checkoutComplete(input: $input, idempotencyKey: $key) { order { ${ORDER} } userErrors { field code message } } }`;
const REFUND = `mutation ($input: RefundCreateInput!, $key: String!) { refundCreate(input: $input, idempotencyKey: $key) {
  refund { amount { ${MONEY} } storeAmount { ${MONEY} } } order { ${ORDER} } userErrors { field code message } } }`;

interface Shop {
  store: TestStore;
  variants: string[];
}

/** A EUR store selling two variants (10.00 and 24.50), shipping 4.90 to DE with 19 % tax on top, and USD at 1.0825. */
async function shop(rounding = 'MINOR_UNITS', currency = { currencyCode: 'USD', rate: '1.0825' }): Promise<Shop> {
  const store = await createStore(graph.client);
  await succeed(graph.client, 'storeCurrenciesUpdate', { currencies: [{ ...currency, rounding }] }, asOwner(store));
  const product = await createProduct(
    graph.client,
    store,
    stockedProductInput([
      { price: '10.00', size: 'S' },
      { price: '24.50', size: 'M' },
    ]),
  );
  await insertShippingZone(owner, store, ['DE'], [{ name: 'Standard', price: '4.90' }]);
  await insertTaxRate(owner, store, 'DE', '0.19', false);
  return { store, variants: product.variants.map((variant) => variant.id) };
}

async function cartIn(shop: Shop, currency: string | null) {
  const data = await graph.client.data(
    CREATE,
    {
      input: {
        lines: [
          { variantId: shop.variants[0], quantity: 2 },
          { variantId: shop.variants[1], quantity: 1 },
        ],
      },
    },
    { store: shop.store.slug, headers: currency ? { 'x-currency': currency } : {} },
  );
  expect(data.cartCreate.userErrors).toEqual([]);
  return data.cartCreate.cart;
}

async function checkOut(shop: Shop, cartId: string) {
  const data = await graph.client.data(
    PLACE,
    {
      key: unique('key'),
      input: {
        cartId,
        email: `${unique('buyer')}@example.com`,
        shippingAddress: address('DE'),
        payment: { provider: 'TEST_CARD', cardNumber: '4242424242424242' },
      },
    },
    { store: shop.store.slug },
  );
  expect(data.checkoutComplete.userErrors).toEqual([]);
  return data.checkoutComplete.order;
}

const SALES = `query ($range: DateRangeInput!) { store { analytics(range: $range) { sales { revenue { ${MONEY} } ordersCount } } } }`;

/** The store's sales today, once the analytics consumer has applied every event. */
async function salesToday(store: TestStore) {
  await analyticsCaughtUp(owner, store);
  const day = 24 * 60 * 60 * 1000;
  const range = { from: new Date(Date.now() - day).toISOString(), to: new Date(Date.now() + day).toISOString() };
  return (await graph.client.data(SALES, { range }, asOwner(store))).store.analytics.sales;
}

const usd = (amount: string) => ({ amount, currencyCode: 'USD' });
const eur = (amount: string) => ({ amount, currencyCode: 'EUR' });

describe('carts and checkouts in a presentment currency', () => {
  it('prices the same cart in EUR and in USD consistently to the cent, with the rate and rounding', async () => {
    const store = await shop();
    const inEuros = await cartIn(store, null);
    const inDollars = await cartIn(store, 'USD');
    expect(inEuros.currencyCode).toBe('EUR');
    expect(inEuros.cost.subtotal).toEqual(eur('44.50'));
    expect(inDollars.currencyCode).toBe('USD');
    // Unit prices convert and round first (10.825 -> 10.83, 26.52125 -> 26.52), then multiply.
    expect(inDollars.lines).toEqual([
      { unitPrice: usd('10.83'), totalPrice: usd('21.66') },
      { unitPrice: usd('26.52'), totalPrice: usd('26.52') },
    ]);
    expect(inDollars.cost.subtotal).toEqual(usd('48.18'));
    // A later request in another currency does not change the cart's.
    const again = await graph.client.data(
      `query ($id: ID!) { cart(id: $id) { ${CART} } }`,
      { id: inDollars.id },
      { store: store.store.slug, headers: { 'x-currency': 'EUR' } },
    );
    expect(again.cart.cost.subtotal).toEqual(usd('48.18'));
  });

  it('rounds carts by the store rule, e.g. to .99 endings', async () => {
    const store = await shop('ENDING_99');
    const inDollars = await cartIn(store, 'USD');
    expect(inDollars.lines.map((line: { unitPrice: unknown }) => line.unitPrice)).toEqual([usd('10.99'), usd('26.99')]);
    expect(inDollars.cost.subtotal).toEqual(usd('48.97'));
  });

  it('keeps both the USD amounts charged and the exact EUR amounts of a checkout', async () => {
    const store = await shop();
    const cart = await cartIn(store, 'USD');
    const order = await checkOut(store, cart.id);
    expect(order).toMatchObject({
      currencyCode: 'USD',
      storeCurrencyCode: 'EUR',
      exchangeRate: '1.0825',
      subtotal: usd('48.18'),
      // 4.90 x 1.0825 = 5.30425; tax per line: 21.66 x 0.19 = 4.1154 -> 4.12, 26.52 x 0.19 = 5.0388 -> 5.04.
      shippingTotal: usd('5.30'),
      taxTotal: usd('9.16'),
      total: usd('62.64'),
      // The test provider charged the USD total.
      totalPaid: usd('62.64'),
    });
    // Per line: 21.66 / 1.0825 = 20.0092 -> 20.01, 26.52 / 1.0825 = 24.4988 -> 24.50; tax 4.12 / 1.0825 = 3.806 -> 3.81 and 5.04 / 1.0825 = 4.656 -> 4.66;
    // shipping 4.90; the total is the sum of its parts.
    expect(order.storeAmounts).toEqual({
      subtotal: eur('44.51'),
      shippingTotal: eur('4.90'),
      taxTotal: eur('8.47'),
      total: eur('57.88'),
      totalRefunded: eur('0.00'),
    });
    // Analytics report the order in the store's currency, at its store total.
    expect(await salesToday(store.store)).toEqual({ revenue: eur('57.88'), ordersCount: 1 });
  });

  it('refunds in USD and records the EUR share, giving back exactly the EUR total in the end', async () => {
    const store = await shop();
    const order = await checkOut(store, (await cartIn(store, 'USD')).id);
    const refund = async (amount: string) => {
      const data = await graph.client.data(
        REFUND,
        { key: unique('refund'), input: { orderId: order.id, amount, reason: 'Goodwill' } },
        asOwner(store.store),
      );
      expect(data.refundCreate.userErrors).toEqual([]);
      return data.refundCreate;
    };
    const first = await refund('10.00');
    // 57.88 x 10.00 / 62.64 = 9.2401 -> 9.24.
    expect(first.refund).toEqual({ amount: usd('10.00'), storeAmount: eur('9.24') });
    expect(first.order.totalRefunded).toEqual(usd('10.00'));
    expect(first.order.storeAmounts.totalRefunded).toEqual(eur('9.24'));
    const rest = await refund('52.64');
    expect(rest.refund.storeAmount).toEqual(eur('48.64'));
    expect(rest.order.totalRefunded).toEqual(usd('62.64'));
    expect(rest.order.storeAmounts.totalRefunded).toEqual(eur('57.88'));
    // Analytics count in the store's currency: everything was given back.
    expect(await salesToday(store.store)).toEqual({ revenue: eur('0.00'), ordersCount: 1 });
  });

  it('takes refund amounts in the minor units of the order currency, not the store currency', async () => {
    const store = await shop('WHOLE_UNITS', { currencyCode: 'JPY', rate: '161.5' });
    const order = await checkOut(store, (await cartIn(store, 'JPY')).id);
    expect(order.total.currencyCode).toBe('JPY');
    const refund = (amount: string) =>
      graph.client.data(
        REFUND,
        { key: unique('refund'), input: { orderId: order.id, amount, reason: 'Goodwill' } },
        asOwner(store.store),
      );
    expect((await refund('100.5')).refundCreate.userErrors.map((error: { code: string }) => error.code)).toEqual([
      'TOO_PRECISE',
    ]);
    const whole = (await refund('100')).refundCreate;
    expect(whole.userErrors).toEqual([]);
    // 100 / 161.5 of the store total, rounded to cents.
    expect(whole.refund.amount).toEqual({ amount: '100', currencyCode: 'JPY' });
    expect(whole.refund.storeAmount.currencyCode).toBe('EUR');
  });

  it('charges the price a seller fixed for the currency', async () => {
    const store = await shop();
    const fixed = await graph.client.data(
      `mutation ($input: ProductVariantPricesSetInput!) { productVariantPricesSet(input: $input) { userErrors { code } } }`,
      { input: { variantId: store.variants[1], prices: [{ currencyCode: 'USD', price: '25.00' }] } },
      asOwner(store.store),
    );
    expect(fixed.productVariantPricesSet.userErrors).toEqual([]);
    const cart = await cartIn(store, 'USD');
    expect(cart.lines[1]).toEqual({ unitPrice: usd('25.00'), totalPrice: usd('25.00') });
    const order = await checkOut(store, cart.id);
    expect(order.subtotal).toEqual(usd('46.66'));
    // 25.00 / 1.0825 = 23.094 -> 23.09; with 20.01 for the other line.
    expect(order.storeAmounts.subtotal).toEqual(eur('43.10'));
  });

  it('refuses to edit an order placed in a presentment currency', async () => {
    const store = await shop();
    const order = await checkOut(store, (await cartIn(store, 'USD')).id);
    const data = await graph.client.data(
      `mutation ($input: OrderEditInput!, $key: String!) { orderEdit(input: $input, idempotencyKey: $key) { userErrors { field code } } }`,
      { key: unique('edit'), input: { orderId: order.id, addLines: [{ variantId: store.variants[0], quantity: 1 }] } },
      asOwner(store.store),
    );
    expect(data.orderEdit.userErrors).toEqual([{ field: ['input', 'orderId'], code: 'INVALID' }]);
  });

  it('refuses a cart in a currency the store has not enabled', async () => {
    const store = await shop();
    const response = await graph.client.execute(
      CART_CREATE,
      { input: { lines: [{ variantId: store.variants[0], quantity: 1 }] } },
      { store: store.store.slug, headers: { 'x-currency': 'CHF' } },
    );
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0]?.extensions?.reason).toBe('CURRENCY_NOT_ENABLED');
  });
});
