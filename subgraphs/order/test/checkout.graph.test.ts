// checkoutComplete through the gateway: exact totals, snapshots, payments, the store's rules, and
// nothing left behind by a checkout that is refused or fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  createProduct,
  createStore,
  errorCodes,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  signUpCustomer,
  unique,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import {
  address,
  CART_ADDRESS,
  CART_CODES,
  checkout,
  createCart,
  insertCustomer,
  insertShippingZone,
  insertTaxRate,
  placeOrder,
  stockedProductInput,
  stockOf,
} from '@commerce/testkit/checkout-kit';

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

const ADDRESS_CREATE = `mutation ($input: CustomerAddressCreateInput!) { customerAddressCreate(input: $input) { userErrors { field code } } }`;

const staffOf = (store: TestStore) => ({ token: store.owner.accessToken, store: store.slug });

async function addCodes(
  store: TestStore,
  cartId: string,
  codes: string[],
  token?: string,
): Promise<Record<string, any>> {
  const data = await graph.client.data(CART_CODES, { cartId, codes }, { store: store.slug, token });
  return data.cartDiscountCodesUpdate;
}

describe('checkout', () => {
  it('places an order priced exactly (discount, shipping, inclusive tax), with snapshots, payment, stats and the order.created event last', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(
      graph.client,
      store,
      stockedProductInput(
        [
          { price: '19.99', stock: 10, sku: `${unique('TEE')}-M`, size: 'M' },
          { price: '24.50', stock: 10, sku: `${unique('TEE')}-L`, size: 'L' },
        ],
        { title: 'Linen Tee' },
      ),
    );
    const [medium, large] = product.variants;
    await insertShippingZone(
      owner,
      store,
      ['DE', 'AT'],
      [
        { name: 'Express', price: '9.90' },
        { name: 'Standard', price: '4.90' },
      ],
    );
    await insertTaxRate(owner, store, 'DE', '0.19', true);
    await owner.discountCode.create({
      data: { storeId: keyOf(store.id), code: 'TEN', type: 'PERCENTAGE', value: '10' },
    });
    const customer = await insertCustomer(owner, store);
    const cart = await createCart(
      graph.client,
      store,
      [
        { variantId: medium!.id, quantity: 2 },
        { variantId: large!.id, quantity: 1 },
      ],
      customer.accessToken,
    );
    await addCodes(store, cart.id, ['ten'], customer.accessToken);

    const order = await placeOrder(graph.client, store, cart.id, {
      token: customer.accessToken,
      email: customer.email,
    });

    // Lines 39.98 + 24.50; 10 % off per line: 4.00 + 2.45; tax included per line: 35.98 × 19/119 = 5.74, 22.05 × 19/119 = 3.52.
    expect(order).toMatchObject({
      number: '#1001',
      status: 'PENDING',
      paymentStatus: 'PAID',
      fulfillmentStatus: 'UNFULFILLED',
      taxesIncluded: true,
      subtotal: { amount: '64.48', currencyCode: 'EUR' },
      discountTotal: { amount: '6.45' },
      shippingTotal: { amount: '4.90' },
      taxTotal: { amount: '9.26' },
      total: { amount: '62.93', currencyCode: 'EUR' },
      totalPaid: { amount: '62.93' },
      discountCodes: ['TEN'],
      shippingRateName: 'Standard',
      customer: { id: customer.id },
    });
    expect(order.lines).toEqual([
      expect.objectContaining({
        title: 'Linen Tee',
        variantTitle: 'M',
        sku: medium!.sku,
        quantity: 2,
        unitPrice: { amount: '19.99' },
        totalPrice: { amount: '39.98' },
        discountTotal: { amount: '4.00' },
        taxTotal: { amount: '5.74' },
      }),
      expect.objectContaining({
        title: 'Linen Tee',
        variantTitle: 'L',
        sku: large!.sku,
        quantity: 1,
        unitPrice: { amount: '24.50' },
        totalPrice: { amount: '24.50' },
        discountTotal: { amount: '2.45' },
        taxTotal: { amount: '3.52' },
      }),
    ]);

    const staffView = await graph.client.data(
      `query ($id: ID!) { order(id: $id) {
        shippingAddress { lastName countryCode } billingAddress { lastName }
        lines { imageUrl selectedOptions { name value } }
        payments { provider status amount { amount } commission { amount } net { amount } transactions { kind status amount { amount } } }
        events { type message actorType actorId }
      } }`,
      { id: order.id },
      staffOf(store),
    );
    expect(staffView.order.shippingAddress).toEqual({ lastName: 'Lovelace', countryCode: 'DE' });
    expect(staffView.order.lines[0]).toEqual({
      imageUrl: 'https://example.com/product.jpg',
      selectedOptions: [{ name: 'Size', value: 'M' }],
    });
    // The platform's commission is 3 % (PLATFORM_COMMISSION_RATE), rounded half up: 1.8879 → 1.89.
    expect(staffView.order.payments).toEqual([
      {
        provider: 'TEST_CARD',
        status: 'PAID',
        amount: { amount: '62.93' },
        commission: { amount: '1.89' },
        net: { amount: '61.04' },
        transactions: [{ kind: 'SALE', status: 'SUCCESS', amount: { amount: '62.93' } }],
      },
    ]);
    expect(staffView.order.events).toEqual([
      {
        type: 'PLACED',
        message: 'Order #1001 placed: 62.93 EUR, paid by TEST_CARD.',
        actorType: 'CUSTOMER',
        actorId: customer.id,
      },
    ]);

    // The buyer sees the payment without the platform's commission.
    const buyerView = await graph.client.data(
      `query ($id: ID!) { order(id: $id) { payments { amount { amount } commission { amount } net { amount } } } }`,
      { id: order.id },
      { token: customer.accessToken },
    );
    expect(buyerView.order.payments).toEqual([{ amount: { amount: '62.93' }, commission: null, net: null }]);

    expect(await stockOf(owner, medium!.id)).toEqual({ available: 8, committed: 2 });
    expect(await stockOf(owner, large!.id)).toEqual({ available: 9, committed: 1 });
    const stats = await owner.customerOrderStats.findUniqueOrThrow({
      where: { storeId_customerId: { storeId: keyOf(store.id), customerId: customer.key } },
    });
    expect([stats.ordersCount, stats.totalSpent.toFixed(2)]).toEqual([1, '62.93']);
    const code = await owner.discountCode.findFirstOrThrow({
      where: { storeId: keyOf(store.id), code: 'TEN' },
      include: { usages: true },
    });
    expect([code.usedCount, code.usages.map((usage) => usage.customerId)]).toEqual([1, [customer.key]]);

    const events = await owner.outboxEvent.findMany({
      where: { storeId: keyOf(store.id), createdAt: { gte: new Date(Date.now() - 60_000) } },
      orderBy: { sequence: 'asc' },
    });
    const mine = events.filter(
      (event) =>
        event.type === 'order.created' ||
        (event.payload as { variantId?: string }).variantId === medium!.id ||
        (event.payload as { variantId?: string }).variantId === large!.id,
    );
    expect(mine.slice(-3).map((event) => event.type)).toEqual([
      'inventory.updated',
      'inventory.updated',
      'order.created',
    ]);
    // What read models count the order by, without reading it back.
    expect(mine.at(-1)?.payload).toMatchObject({
      orderId: keyOf(order.id),
      number: 1001,
      total: '62.93',
      currencyCode: 'EUR',
      customerId: customer.key,
      subtotal: '64.48',
      shipping: '4.9',
      tax: '9.26',
      lines: expect.arrayContaining([
        expect.objectContaining({ variantId: keyOf(medium!.id), quantity: 2 }),
        expect.objectContaining({ variantId: keyOf(large!.id), quantity: 1 }),
      ]),
    });

    const completed = await graph.client.data(
      `query ($id: ID!) { cart(id: $id) { status order { id } } }`,
      { id: cart.id },
      { token: customer.accessToken },
    );
    expect(completed.cart).toEqual({ status: 'COMPLETED', order: { id: order.id } });
  });

  it('adds exclusive tax of the address region on top, rounded per line, with a fixed discount split over the lines and free shipping', async () => {
    const store = await createStore(graph.client, { currencyCode: 'USD' });
    const a = await createProduct(graph.client, store, stockedProductInput([{ price: '10.00' }]));
    const b = await createProduct(graph.client, store, stockedProductInput([{ price: '3.33' }]));
    await insertShippingZone(owner, store, ['US'], [{ name: 'Ground', price: '7.50' }]);
    await insertTaxRate(owner, store, 'US', '0.05', false);
    await insertTaxRate(owner, store, 'US', '0.08875', false, 'NY');
    await owner.discountCode.createMany({
      data: [
        { storeId: keyOf(store.id), code: 'FIVE', type: 'FIXED_AMOUNT', value: '5.00' },
        { storeId: keyOf(store.id), code: 'SHIPFREE', type: 'FREE_SHIPPING', value: '0' },
      ],
    });
    const cart = await createCart(graph.client, store, [
      { variantId: a.variants[0]!.id, quantity: 1 },
      { variantId: b.variants[0]!.id, quantity: 3 },
    ]);
    const codes = await addCodes(store, cart.id, ['FIVE', 'SHIPFREE']);
    expect(codes.cart.discountCodes).toEqual([
      { code: 'FIVE', applicable: true, reason: null },
      { code: 'SHIPFREE', applicable: true, reason: null },
    ]);

    const order = await placeOrder(graph.client, store, cart.id, {
      shippingAddress: address('US', { city: 'New York', provinceCode: 'ny', zip: '10001' }),
    });

    // Lines 10.00 and 9.99 (subtotal 19.99); 5.00 off split 2.50 / 2.50 (largest remainder);
    // NY tax 8.875 % on 7.50 and 7.49: 0.665625 → 0.67 and 0.6647375 → 0.66; shipping free.
    expect(order).toMatchObject({
      taxesIncluded: false,
      subtotal: { amount: '19.99', currencyCode: 'USD' },
      discountTotal: { amount: '5.00' },
      shippingTotal: { amount: '0.00' },
      taxTotal: { amount: '1.33' },
      total: { amount: '16.32', currencyCode: 'USD' },
      discountCodes: ['FIVE', 'SHIPFREE'],
    });
    expect(
      order.lines.map((line: { discountTotal: { amount: string }; taxTotal: { amount: string } }) => [
        line.discountTotal.amount,
        line.taxTotal.amount,
      ]),
    ).toEqual([
      ['2.50', '0.67'],
      ['2.50', '0.66'],
    ]);
  });

  it('shows on the cart exactly what checkout charges', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '33.33' }]));
    await insertShippingZone(owner, store, ['FR'], [{ name: 'Colissimo', price: '6.10' }]);
    await insertTaxRate(owner, store, 'FR', '0.2', false);
    const cart = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 3 }]);
    const priced = await graph.client.data(
      CART_ADDRESS,
      { input: { cartId: cart.id, shippingAddress: address('FR', { city: 'Paris' }) } },
      { store: store.slug },
    );
    expect(priced.cartShippingAddressUpdate.cart.cost).toEqual({
      subtotal: { amount: '99.99', currencyCode: 'EUR' },
      discounts: { amount: '0.00' },
      shipping: { amount: '6.10' },
      tax: { amount: '20.00' },
      taxesIncluded: false,
      total: { amount: '126.09', currencyCode: 'EUR' },
    });
    const order = await placeOrder(graph.client, store, cart.id, { countryCode: 'FR' });
    expect(order.total).toEqual({ amount: '126.09', currencyCode: 'EUR' });
  });

  it('manual payment and cash on delivery leave the order waiting with payment PENDING', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '8.00' }]));
    for (const provider of ['MANUAL', 'CASH_ON_DELIVERY']) {
      const cart = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 1 }]);
      const order = await placeOrder(graph.client, store, cart.id, { payment: { provider } });
      expect([order.paymentStatus, order.totalPaid.amount]).toEqual(['PENDING', '0.00']);
      const view = await graph.client.data(
        `query ($id: ID!) { order(id: $id) { payments { provider status transactions { kind status } } } }`,
        { id: order.id },
        staffOf(store),
      );
      expect(view.order.payments).toEqual([
        { provider, status: 'PENDING', transactions: [{ kind: 'SALE', status: 'PENDING' }] },
      ]);
    }
    const cart = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 1 }]);
    const withCard = await checkout(graph.client, store, cart.id, {
      payment: { provider: 'MANUAL', cardNumber: '4242424242424242' },
    });
    expect(withCard.data?.checkoutComplete.userErrors.map((error: { field: string[] }) => error.field)).toEqual([
      ['input', 'payment', 'cardNumber'],
    ]);
  });

  it('a declined card places no order and takes no stock, discount use or order number', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '15.00', stock: 3 }]));
    await owner.discountCode.create({
      data: { storeId: keyOf(store.id), code: 'ONCE', type: 'PERCENTAGE', value: '5', usageLimit: 1 },
    });
    const cart = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 2 }]);
    await addCodes(store, cart.id, ['ONCE']);

    const declined = await checkout(graph.client, store, cart.id, {
      payment: { provider: 'TEST_CARD', cardNumber: '4000 0000 0000 0002' },
    });

    expect(declined.data?.checkoutComplete).toEqual({
      order: null,
      userErrors: [
        {
          field: ['input', 'payment'],
          message: expect.stringContaining('declined'),
          code: 'PAYMENT_DECLINED',
          availableQuantity: null,
        },
      ],
    });
    expect(await stockOf(owner, product.variants[0]!.id)).toEqual({ available: 3, committed: 0 });
    expect(await owner.order.count({ where: { storeId: keyOf(store.id) } })).toBe(0);
    expect((await owner.discountCode.findFirstOrThrow({ where: { storeId: keyOf(store.id) } })).usedCount).toBe(0);
    expect(
      (await owner.cart.findUniqueOrThrow({ where: { storeId_id: { storeId: keyOf(store.id), id: cart.id } } })).status,
    ).toBe('ACTIVE');
    // The same cart goes through with another card, and gets the first number.
    const order = await placeOrder(graph.client, store, cart.id);
    expect([order.number, order.discountTotal.amount]).toEqual(['#1001', '1.50']);
  });

  it('a payment provider that fails after stock was reserved leaves no order, no stock taken, no movement and no event behind', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '15.00', stock: 2 }]));
    const variantKey = keyOf(product.variants[0]!.id);
    const cart = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 2 }]);
    const eventsBefore = await owner.outboxEvent.count({ where: { storeId: keyOf(store.id) } });

    const failed = await checkout(graph.client, store, cart.id, {
      payment: { provider: 'TEST_CARD', cardNumber: '4000000000000119' },
    });

    expect(errorCodes(failed)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(await owner.order.count({ where: { storeId: keyOf(store.id) } })).toBe(0);
    expect(await stockOf(owner, product.variants[0]!.id)).toEqual({ available: 2, committed: 0 });
    expect(await owner.stockMovement.count({ where: { variantId: variantKey, reason: 'order' } })).toBe(0);
    expect(await owner.outboxEvent.count({ where: { storeId: keyOf(store.id) } })).toBe(eventsBefore);
    expect(
      (await owner.cart.findUniqueOrThrow({ where: { storeId_id: { storeId: keyOf(store.id), id: cart.id } } })).status,
    ).toBe('ACTIVE');
    expect((await owner.storeCounter.findUniqueOrThrow({ where: { storeId: keyOf(store.id) } })).lastOrderNumber).toBe(
      1000,
    );
    expect((await placeOrder(graph.client, store, cart.id)).number).toBe('#1001');
  });

  it('repeating a checkout with its key answers with the same order; the key with another cart, or the cart with another key, is refused', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '4.00', stock: 10 }]));
    const cart = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 1 }]);
    const key = unique('key');
    const first = await placeOrder(graph.client, store, cart.id, { key });
    const again = await placeOrder(graph.client, store, cart.id, { key });
    expect(again).toEqual(first);

    const other = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 1 }]);
    const reused = await checkout(graph.client, store, other.id, { key });
    expect(
      reused.data?.checkoutComplete.userErrors.map((error: { code: string; field: string[] }) => [
        error.code,
        error.field,
      ]),
    ).toEqual([['IDEMPOTENCY_KEY_REUSED', ['idempotencyKey']]]);
    const twice = await checkout(graph.client, store, cart.id, { key: unique('key') });
    expect(twice.data?.checkoutComplete.userErrors.map((error: { code: string }) => error.code)).toEqual([
      'CART_NOT_ACTIVE',
    ]);
    expect(await owner.order.count({ where: { storeId: keyOf(store.id) } })).toBe(1);
    expect(await stockOf(owner, product.variants[0]!.id)).toEqual({ available: 9, committed: 1 });
  });

  it('refuses invalid input field by field before anything happens', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '4.00' }]));
    const cart = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 1 }]);
    const response = await checkout(graph.client, store, cart.id, {
      key: ' ',
      email: 'not-an-email',
      shippingAddress: { lastName: '', address1: 'Somewhere 1', city: 'Nowhere', countryCode: 'XX' },
      payment: { provider: 'TEST_CARD' },
    });
    expect(
      response.data?.checkoutComplete.userErrors.map((error: { field: string[]; code: string }) => [
        error.field.join('.'),
        error.code,
      ]),
    ).toEqual([
      ['idempotencyKey', 'BLANK'],
      ['input.email', 'INVALID'],
      ['input.shippingAddress.lastName', 'BLANK'],
      ['input.shippingAddress.countryCode', 'INVALID'],
      ['input.payment.cardNumber', 'BLANK'],
    ]);
    const unknown = await checkout(graph.client, store, 'x'.repeat(43));
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
  });

  it('refuses the country codes that customer addresses refuse (UK, XK, withdrawn ones) and ships to GB', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '4.00' }]));
    const cart = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 1 }]);
    const customer = await signUpCustomer(graph.client, store);
    for (const countryCode of ['UK', 'XK', 'SU', 'DD', 'YU', 'EU', 'ZZ']) {
      const refused = await checkout(graph.client, store, cart.id, { countryCode });
      const saved = await graph.client.data(
        ADDRESS_CREATE,
        { input: address(countryCode) },
        { token: customer.accessToken },
      );
      expect({
        countryCode,
        checkout: refused.data?.checkoutComplete.userErrors,
        address: saved.customerAddressCreate.userErrors,
      }).toMatchObject({
        countryCode,
        checkout: [{ field: ['input', 'shippingAddress', 'countryCode'], code: 'INVALID' }],
        address: [{ field: ['input', 'countryCode'], code: 'INVALID' }],
      });
    }
    // The refusals left the cart as it was: it still checks out, to the United Kingdom's real code.
    expect(await placeOrder(graph.client, store, cart.id, { countryCode: 'GB' })).toMatchObject({ number: '#1001' });
  });

  it("applies the store's rules: guest checkout, email verification, minimum and maximum order amounts, open store", async () => {
    const store = await createStore(graph.client);
    const storeKey = keyOf(store.id);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '10.00' }]));
    const line = [{ variantId: product.variants[0]!.id, quantity: 1 }];
    const codes = async (cartId: string, token?: string) =>
      (await checkout(graph.client, store, cartId, { token })).data?.checkoutComplete.userErrors.map(
        (error: { code: string }) => error.code,
      );

    await owner.store.update({
      where: { id: storeKey },
      data: { guestCheckoutEnabled: false, emailVerificationRequired: true },
    });
    expect(await codes((await createCart(graph.client, store, line)).id)).toEqual(['GUEST_CHECKOUT_DISABLED']);
    const unverified = await insertCustomer(owner, store);
    expect(
      await codes((await createCart(graph.client, store, line, unverified.accessToken)).id, unverified.accessToken),
    ).toEqual(['EMAIL_NOT_VERIFIED']);
    await owner.customer.update({
      where: { storeId_id: { storeId: storeKey, id: unverified.key } },
      data: { emailVerifiedAt: new Date() },
    });
    expect(
      await codes((await createCart(graph.client, store, line, unverified.accessToken)).id, unverified.accessToken),
    ).toEqual([]);

    await owner.store.update({
      where: { id: storeKey },
      data: { guestCheckoutEnabled: true, minOrderAmount: '15.00', maxOrderAmount: '25.00' },
    });
    expect(await codes((await createCart(graph.client, store, line)).id)).toEqual(['MIN_ORDER_AMOUNT']);
    expect(await codes((await createCart(graph.client, store, [{ ...line[0]!, quantity: 3 }])).id)).toEqual([
      'MAX_ORDER_AMOUNT',
    ]);
    const fits = await createCart(graph.client, store, [{ ...line[0]!, quantity: 2 }]);

    await owner.store.update({ where: { id: storeKey }, data: { status: 'MAINTENANCE' } });
    const closed = await checkout(graph.client, store, fits.id);
    // The store's status is cached for a moment where requests are routed; checkout itself reads it in its transaction.
    const refusals = [
      ...errorCodes(closed),
      ...(closed.data?.checkoutComplete.userErrors.map((error: { code: string }) => error.code) ?? []),
    ];
    expect(refusals).toEqual(['STORE_UNAVAILABLE']);
    await owner.store.update({ where: { id: storeKey }, data: { status: 'ACTIVE' } });
    expect(await codes(fits.id)).toEqual([]);
  });

  it('needs a shipping rate of the store for the address when the store ships, and honours the chosen one', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '20.00' }]));
    const { rateIds } = await insertShippingZone(
      owner,
      store,
      ['DE'],
      [
        { name: 'Standard', price: '4.90' },
        { name: 'Express', price: '12.00' },
        { name: 'Big orders', price: '0.00', minOrderAmount: '100.00' },
      ],
    );
    const line = [{ variantId: product.variants[0]!.id, quantity: 1 }];
    const abroad = await checkout(graph.client, store, (await createCart(graph.client, store, line)).id, {
      countryCode: 'FR',
    });
    expect(
      abroad.data?.checkoutComplete.userErrors.map((error: { code: string; field: string[] }) => [
        error.code,
        error.field,
      ]),
    ).toEqual([['SHIPPING_UNAVAILABLE', ['input', 'shippingAddress', 'countryCode']]]);
    const bigOnly = await checkout(graph.client, store, (await createCart(graph.client, store, line)).id, {
      shippingRateId: globalRate(rateIds[2]!),
    });
    expect(bigOnly.data?.checkoutComplete.userErrors.map((error: { code: string }) => error.code)).toEqual([
      'SHIPPING_RATE_NOT_APPLICABLE',
    ]);
    const express = await placeOrder(graph.client, store, (await createCart(graph.client, store, line)).id, {
      shippingRateId: globalRate(rateIds[1]!),
    });
    expect([express.shippingRateName, express.shippingTotal.amount, express.total.amount]).toEqual([
      'Express',
      '12.00',
      '32.00',
    ]);
  });

  it('refuses a cart whose product stopped being sold or whose code stopped applying', async () => {
    const store = await createStore(graph.client);
    const kept = await createProduct(graph.client, store, stockedProductInput([{ price: '5.00' }]));
    const archived = await createProduct(graph.client, store, stockedProductInput([{ price: '6.00' }]));
    await owner.discountCode.create({
      data: { storeId: keyOf(store.id), code: 'SOON-OVER', type: 'PERCENTAGE', value: '10' },
    });
    const cart = await createCart(graph.client, store, [
      { variantId: kept.variants[0]!.id, quantity: 1 },
      { variantId: archived.variants[0]!.id, quantity: 1 },
    ]);
    await addCodes(store, cart.id, ['SOON-OVER']);
    await owner.product.update({
      where: { storeId_id: { storeId: keyOf(store.id), id: keyOf(archived.id) } },
      data: { status: 'ARCHIVED' },
    });
    await owner.discountCode.updateMany({
      where: { storeId: keyOf(store.id) },
      data: { endsAt: new Date(Date.now() - 1000) },
    });

    const response = await checkout(graph.client, store, cart.id);

    expect(response.data?.checkoutComplete.userErrors.map((error: { code: string }) => error.code)).toEqual([
      'UNAVAILABLE',
      'DISCOUNT_CODE_NOT_APPLICABLE',
    ]);
    expect(await stockOf(owner, kept.variants[0]!.id)).toEqual({ available: 100, committed: 0 });
  });

  it('reserves at the default location first, then at the others with stock, and a cancellation gives each its units back', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '7.00', stock: 1 }]));
    const variantKey = keyOf(product.variants[0]!.id);
    const home = await owner.inventoryLevel.findFirstOrThrow({ where: { variantId: variantKey } });
    const annex = await owner.inventoryLocation.create({ data: { storeId: keyOf(store.id), name: 'Annex' } });
    const shut = await owner.inventoryLocation.create({
      data: { storeId: keyOf(store.id), name: 'Closed shop', active: false },
    });
    await owner.inventoryLevel.createMany({
      data: [
        { storeId: keyOf(store.id), variantId: variantKey, locationId: annex.id, available: 5 },
        { storeId: keyOf(store.id), variantId: variantKey, locationId: shut.id, available: 50 },
      ],
    });
    const cart = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 3 }]);
    const tooMany = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 7 }]).catch(
      (error: Error) => error.message,
    );
    expect(tooMany).toContain('"availableQuantity":6');

    const order = await placeOrder(graph.client, store, cart.id);

    const levels = async () =>
      Object.fromEntries(
        (await owner.inventoryLevel.findMany({ where: { variantId: variantKey } })).map((level) => [
          level.locationId,
          [level.available, level.committed],
        ]),
      );
    expect(await levels()).toEqual({ [home.locationId]: [0, 1], [annex.id]: [3, 2], [shut.id]: [50, 0] });
    const cancelled = await graph.client.data(
      `mutation ($input: OrderCancelInput!) { orderCancel(input: $input) { order { status } userErrors { code } } }`,
      { input: { orderId: order.id, reason: 'Customer changed their mind', restock: true } },
      staffOf(store),
    );
    expect(cancelled.orderCancel).toEqual({ order: { status: 'CANCELLED' }, userErrors: [] });
    expect(await levels()).toEqual({ [home.locationId]: [1, 0], [annex.id]: [5, 0], [shut.id]: [50, 0] });
  });
});

function globalRate(key: string): string {
  return Buffer.from(`ShippingRate:${key}`, 'utf8').toString('base64url');
}
