// Carts through the gateway: tokens, lines with snapshots and stock limits, discount codes,
// shipping rates and taxes, expiry and the merge at sign-in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  createProduct,
  createStore,
  errorCodes,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import {
  address,
  CART_ADDRESS,
  CART_CODES,
  CART_CREATE,
  CART_FIELDS,
  CART_LINES_ADD,
  CART_LINES_REMOVE,
  CART_LINES_UPDATE,
  CART_QUERY,
  createCart,
  insertCustomer,
  insertShippingZone,
  insertTaxRate,
  stockedProductInput,
} from '@commerce/testkit/checkout-kit';
import { deleteExpiredCarts } from '../src/services/cart-expiry.js';

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

const anonymous = (store: TestStore) => ({ store: store.slug });

describe('carts', () => {
  it('an anonymous cart has an unguessable id, lines with a snapshot of the variant, and its cost', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(
      graph.client,
      store,
      stockedProductInput([{ price: '12.50', stock: 4, sku: 'MUG-BLUE', size: 'Blue' }], { title: 'Mug' }),
    );
    const cart = await createCart(graph.client, store, [
      { variantId: product.variants[0]!.id, quantity: 1 },
      { variantId: product.variants[0]!.id, quantity: 1 },
    ]);
    expect(cart.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(cart).toMatchObject({
      status: 'ACTIVE',
      totalQuantity: 2,
      buyer: null,
      lines: [
        {
          quantity: 2,
          title: 'Mug',
          variantTitle: 'Blue',
          sku: 'MUG-BLUE',
          imageUrl: 'https://example.com/product.jpg',
          selectedOptions: [{ name: 'Size', value: 'Blue' }],
          unitPrice: { amount: '12.50' },
          totalPrice: { amount: '25.00' },
          purchasable: true,
          availableQuantity: 4,
          variant: { id: product.variants[0]!.id },
        },
      ],
      cost: {
        subtotal: { amount: '25.00', currencyCode: 'EUR' },
        discounts: { amount: '0.00' },
        shipping: { amount: '0.00' },
        tax: { amount: '0.00' },
        total: { amount: '25.00', currencyCode: 'EUR' },
      },
    });
    // Whoever holds the id may use an anonymous cart; the snapshot stays as the buyer saw it.
    await owner.product.update({
      where: { storeId_id: { storeId: keyOf(store.id), id: keyOf(product.id) } },
      data: { title: 'Mug (renamed)' },
    });
    const read = await graph.client.data(CART_QUERY, { id: cart.id }, anonymous(store));
    expect(read.cart.lines[0].title).toBe('Mug');
    const second = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 1 }]);
    expect(second.id).not.toBe(cart.id);
  });

  it('refuses quantities beyond the stock with the units available, and variants that are not for sale', async () => {
    const store = await createStore(graph.client);
    const scarce = await createProduct(graph.client, store, stockedProductInput([{ price: '5.00', stock: 3 }]));
    const draft = await createProduct(
      graph.client,
      store,
      stockedProductInput([{ price: '5.00' }], { status: 'DRAFT' }),
    );
    const untracked = await createProduct(
      graph.client,
      store,
      stockedProductInput([{ price: '5.00', stock: 0, trackInventory: false }]),
    );
    const oversold = await createProduct(
      graph.client,
      store,
      stockedProductInput([{ price: '5.00', stock: 0, allowOversell: true }]),
    );
    const refused = await graph.client.data(
      CART_CREATE,
      { input: { lines: [{ variantId: scarce.variants[0]!.id, quantity: 4 }] } },
      anonymous(store),
    );
    expect(refused.cartCreate).toEqual({
      cart: null,
      userErrors: [
        {
          field: ['input', 'lines', '0', 'quantity'],
          message: expect.stringContaining('Only 3'),
          code: 'INSUFFICIENT_STOCK',
          availableQuantity: 3,
        },
      ],
    });
    const unsold = await graph.client.data(
      CART_CREATE,
      {
        input: {
          lines: [
            { variantId: draft.variants[0]!.id, quantity: 1 },
            { variantId: 'bm9wZQ', quantity: 0 },
          ],
        },
      },
      anonymous(store),
    );
    expect(
      unsold.cartCreate.userErrors.map((error: { field: string[]; code: string }) => [
        error.field.join('.'),
        error.code,
      ]),
    ).toEqual([
      ['input.lines.1.variantId', 'NOT_FOUND'],
      ['input.lines.1.quantity', 'INVALID'],
    ]);
    const draftOnly = await graph.client.data(
      CART_CREATE,
      { input: { lines: [{ variantId: draft.variants[0]!.id, quantity: 1 }] } },
      anonymous(store),
    );
    expect(draftOnly.cartCreate.userErrors.map((error: { code: string }) => error.code)).toEqual(['UNAVAILABLE']);

    const cart = await createCart(graph.client, store, [
      { variantId: scarce.variants[0]!.id, quantity: 2 },
      { variantId: untracked.variants[0]!.id, quantity: 50 },
      { variantId: oversold.variants[0]!.id, quantity: 7 },
    ]);
    expect(cart.lines.map((line: { availableQuantity: number | null }) => line.availableQuantity)).toEqual([
      3,
      null,
      null,
    ]);
    const more = await graph.client.data(
      CART_LINES_ADD,
      { cartId: cart.id, lines: [{ variantId: scarce.variants[0]!.id, quantity: 2 }] },
      anonymous(store),
    );
    expect(more.cartLinesAdd.userErrors).toEqual([
      {
        field: ['lines', '0', 'quantity'],
        message: expect.stringContaining('you asked for 4'),
        code: 'INSUFFICIENT_STOCK',
        availableQuantity: 3,
      },
    ]);
    expect(more.cartLinesAdd.cart.totalQuantity).toBe(59);
  });

  it('adds to, updates and removes lines', async () => {
    const store = await createStore(graph.client);
    const a = await createProduct(graph.client, store, stockedProductInput([{ price: '1.00' }]));
    const b = await createProduct(graph.client, store, stockedProductInput([{ price: '2.00' }]));
    const cart = await createCart(graph.client, store, [{ variantId: a.variants[0]!.id, quantity: 1 }]);
    const added = await graph.client.data(
      CART_LINES_ADD,
      {
        cartId: cart.id,
        lines: [
          { variantId: b.variants[0]!.id, quantity: 2 },
          { variantId: a.variants[0]!.id, quantity: 1 },
        ],
      },
      anonymous(store),
    );
    expect(added.cartLinesAdd.cart.lines.map((line: { quantity: number }) => line.quantity)).toEqual([2, 2]);
    const [lineA, lineB] = added.cartLinesAdd.cart.lines;
    const updated = await graph.client.data(
      CART_LINES_UPDATE,
      {
        cartId: cart.id,
        lines: [
          { id: lineA.id, quantity: 5 },
          { id: lineB.id, quantity: 0 },
        ],
      },
      anonymous(store),
    );
    expect(
      updated.cartLinesUpdate.cart.lines.map((line: { id: string; quantity: number }) => [line.id, line.quantity]),
    ).toEqual([[lineA.id, 5]]);
    expect(updated.cartLinesUpdate.cart.cost.total.amount).toBe('5.00');
    const removed = await graph.client.data(
      CART_LINES_REMOVE,
      { cartId: cart.id, lineIds: [lineA.id] },
      anonymous(store),
    );
    expect(removed.cartLinesRemove.cart.lines).toEqual([]);
    const missing = await graph.client.data(
      CART_LINES_REMOVE,
      { cartId: cart.id, lineIds: [lineA.id] },
      anonymous(store),
    );
    expect(missing.cartLinesRemove.userErrors.map((error: { code: string }) => error.code)).toEqual(['NOT_FOUND']);
  });

  it("a customer's cart is theirs only; unknown carts are NOT_FOUND", async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '3.00' }]));
    const customer = await insertCustomer(owner, store);
    const other = await insertCustomer(owner, store);
    const cart = await createCart(
      graph.client,
      store,
      [{ variantId: product.variants[0]!.id, quantity: 1 }],
      customer.accessToken,
    );
    expect(cart.buyer).toEqual({ id: customer.id });
    expect((await graph.client.data(CART_QUERY, { id: cart.id }, { token: customer.accessToken })).cart.id).toBe(
      cart.id,
    );
    expect((await graph.client.data(CART_QUERY, { id: cart.id }, { token: other.accessToken })).cart).toBeNull();
    expect((await graph.client.data(CART_QUERY, { id: cart.id }, anonymous(store))).cart).toBeNull();
    const meddling = await graph.client.execute(
      CART_LINES_ADD,
      { cartId: cart.id, lines: [{ variantId: product.variants[0]!.id, quantity: 1 }] },
      { token: other.accessToken },
    );
    expect(errorCodes(meddling)).toEqual(['NOT_FOUND']);
    expect(
      errorCodes(await graph.client.execute(CART_LINES_ADD, { cartId: 'nope', lines: [] }, anonymous(store))),
    ).toEqual(['NOT_FOUND']);
  });

  it('shows the shipping rates for the address, the cheapest selected, and taxes included or added', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '40.00' }]));
    const { rateIds } = await insertShippingZone(
      owner,
      store,
      ['DE'],
      [
        { name: 'Express', price: '15.00' },
        { name: 'Standard', price: '5.00', maxOrderAmount: '50.00' },
        { name: 'Free', price: '0.00', minOrderAmount: '100.00' },
      ],
    );
    await insertTaxRate(owner, store, 'DE', '0.07', true);
    const cart = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 1 }]);
    const shipped = await graph.client.data(
      CART_ADDRESS,
      { input: { cartId: cart.id, shippingAddress: address('DE') } },
      anonymous(store),
    );
    const view = shipped.cartShippingAddressUpdate.cart;
    expect(
      view.shippingRates.map((rate: { name: string; price: { amount: string } }) => [rate.name, rate.price.amount]),
    ).toEqual([
      ['Standard', '5.00'],
      ['Express', '15.00'],
    ]);
    expect(view.selectedShippingRate.name).toBe('Standard');
    // 40.00 includes 7 %: 2.62; the total does not add it.
    expect(view.cost).toMatchObject({
      shipping: { amount: '5.00' },
      tax: { amount: '2.62' },
      taxesIncluded: true,
      total: { amount: '45.00' },
    });
    const express = await graph.client.data(
      CART_ADDRESS,
      { input: { cartId: cart.id, shippingAddress: address('DE'), shippingRateId: view.shippingRates[1].id } },
      anonymous(store),
    );
    expect(express.cartShippingAddressUpdate.cart.cost.total.amount).toBe('55.00');
    const free = await graph.client.data(
      CART_ADDRESS,
      {
        input: {
          cartId: cart.id,
          shippingAddress: address('DE'),
          shippingRateId: Buffer.from(`ShippingRate:${rateIds[2]}`).toString('base64url'),
        },
      },
      anonymous(store),
    );
    expect(free.cartShippingAddressUpdate.userErrors.map((error: { code: string }) => error.code)).toEqual([
      'SHIPPING_RATE_NOT_APPLICABLE',
    ]);
    const nowhere = await graph.client.data(
      CART_ADDRESS,
      { input: { cartId: cart.id, shippingAddress: address('JP') } },
      anonymous(store),
    );
    expect(nowhere.cartShippingAddressUpdate.cart.shippingRates).toEqual([]);
  });
});

describe('discount codes', () => {
  it('staff create codes; a cart tells which codes apply and why not', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '30.00' }]));
    const create = `mutation ($input: DiscountCodeCreateInput!) { discountCodeCreate(input: $input) { discountCode { id code type value minOrderAmount { amount } active usedCount } userErrors { field code } } }`;
    const staff = { token: store.owner.accessToken, store: store.slug };
    const created = await graph.client.data(
      create,
      { input: { code: 'summer-20', type: 'PERCENTAGE', value: '20', minOrderAmount: '25.00' } },
      staff,
    );
    expect(created.discountCodeCreate.discountCode).toMatchObject({
      code: 'SUMMER-20',
      type: 'PERCENTAGE',
      value: '20',
      minOrderAmount: { amount: '25.00' },
      active: true,
      usedCount: 0,
    });
    expect(
      (await graph.client.data(create, { input: { code: 'Summer-20', type: 'FIXED_AMOUNT', value: '5' } }, staff))
        .discountCodeCreate.userErrors,
    ).toEqual([{ field: ['input', 'code'], code: 'TAKEN' }]);
    expect(
      (
        await graph.client.data(create, { input: { code: 'BAD CODE', type: 'PERCENTAGE', value: '120' } }, staff)
      ).discountCodeCreate.userErrors.map((error: { code: string }) => error.code),
    ).toEqual(['INVALID', 'INVALID']);
    const anonymousCreate = await graph.client.execute(
      create,
      { input: { code: 'FREE', type: 'FREE_SHIPPING' } },
      anonymous(store),
    );
    expect(errorCodes(anonymousCreate)).toEqual(['UNAUTHENTICATED']);
    const storeId = keyOf(store.id);
    await owner.discountCode.createMany({
      data: [
        { storeId, code: 'FIVE', type: 'FIXED_AMOUNT', value: '5' },
        { storeId, code: 'LATER', type: 'PERCENTAGE', value: '5', startsAt: new Date(Date.now() + 86_400_000) },
        { storeId, code: 'OVER', type: 'PERCENTAGE', value: '5', endsAt: new Date(Date.now() - 1000) },
        { storeId, code: 'OFF', type: 'PERCENTAGE', value: '5', active: false },
        { storeId, code: 'BIG', type: 'PERCENTAGE', value: '5', minOrderAmount: '100' },
      ],
    });
    const cart = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 1 }]);
    const applied = await graph.client.data(
      CART_CODES,
      { cartId: cart.id, codes: ['summer-20', 'five', 'later', 'over', 'off'] },
      anonymous(store),
    );
    expect(applied.cartDiscountCodesUpdate.cart.discountCodes).toEqual([
      { code: 'SUMMER-20', applicable: true, reason: null },
      { code: 'FIVE', applicable: false, reason: 'NOT_COMBINABLE' },
      { code: 'LATER', applicable: false, reason: 'NOT_STARTED' },
      { code: 'OVER', applicable: false, reason: 'EXPIRED' },
      { code: 'OFF', applicable: false, reason: 'INACTIVE' },
    ]);
    expect(applied.cartDiscountCodesUpdate.cart.cost).toMatchObject({
      discounts: { amount: '6.00' },
      total: { amount: '24.00' },
    });
    const other = await graph.client.data(CART_CODES, { cartId: cart.id, codes: ['big', 'nope'] }, anonymous(store));
    expect(other.cartDiscountCodesUpdate.cart.discountCodes.map((code: { reason: string }) => code.reason)).toEqual([
      'MINIMUM_NOT_MET',
      'NOT_FOUND',
    ]);
    const listing = await graph.client.data(
      `query { store { discountCodes(first: 3) { nodes { code } pageInfo { hasNextPage } totalCount } } }`,
      {},
      staff,
    );
    expect(listing.store.discountCodes.nodes).toHaveLength(3);
    expect(listing.store.discountCodes).toMatchObject({ pageInfo: { hasNextPage: true }, totalCount: 6 });
    expect(
      errorCodes(
        await graph.client.execute(
          `query { store { discountCodes(first: 3) { nodes { code } } } }`,
          {},
          anonymous(store),
        ),
      ),
    ).toEqual(['UNAUTHENTICATED']);
    const update = `mutation ($input: DiscountCodeUpdateInput!) { discountCodeUpdate(input: $input) { discountCode { code active } userErrors { code } } }`;
    const paused = await graph.client.data(
      update,
      { input: { id: created.discountCodeCreate.discountCode.id, active: false } },
      staff,
    );
    expect(paused.discountCodeUpdate).toEqual({ discountCode: { code: 'SUMMER-20', active: false }, userErrors: [] });
  });

  it('a code one buyer may use once is refused to that buyer the second time', async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '10.00' }]));
    await owner.discountCode.create({
      data: { storeId: keyOf(store.id), code: 'WELCOME', type: 'PERCENTAGE', value: '10', usageLimitPerCustomer: 1 },
    });
    const customer = await insertCustomer(owner, store);
    const { placeOrder } = await import('@commerce/testkit/checkout-kit');
    const first = await createCart(
      graph.client,
      store,
      [{ variantId: product.variants[0]!.id, quantity: 1 }],
      customer.accessToken,
    );
    await graph.client.data(CART_CODES, { cartId: first.id, codes: ['WELCOME'] }, { token: customer.accessToken });
    expect(
      (await placeOrder(graph.client, store, first.id, { token: customer.accessToken, email: customer.email }))
        .discountTotal.amount,
    ).toBe('1.00');
    const second = await createCart(
      graph.client,
      store,
      [{ variantId: product.variants[0]!.id, quantity: 1 }],
      customer.accessToken,
    );
    const again = await graph.client.data(
      CART_CODES,
      { cartId: second.id, codes: ['WELCOME'] },
      { token: customer.accessToken },
    );
    expect(again.cartDiscountCodesUpdate.cart.discountCodes).toEqual([
      { code: 'WELCOME', applicable: false, reason: 'USAGE_LIMIT_REACHED' },
    ]);
  });
});

describe('expiry and merging', () => {
  it("an expired cart is gone for its holder; the cleanup deletes expired anonymous carts and marks customers' ones EXPIRED", async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '3.00' }]));
    const customer = await insertCustomer(owner, store);
    const stale = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 1 }]);
    const staleOfCustomer = await createCart(
      graph.client,
      store,
      [{ variantId: product.variants[0]!.id, quantity: 1 }],
      customer.accessToken,
    );
    const fresh = await createCart(graph.client, store, [{ variantId: product.variants[0]!.id, quantity: 1 }]);
    await owner.cart.updateMany({
      where: { id: { in: [stale.id, staleOfCustomer.id] } },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await graph.client.data(CART_QUERY, { id: stale.id }, anonymous(store))).cart).toBeNull();
    const late = await graph.client.data(
      CART_LINES_ADD,
      { cartId: stale.id, lines: [{ variantId: product.variants[0]!.id, quantity: 1 }] },
      anonymous(store),
    );
    expect(late.cartLinesAdd.userErrors.map((error: { code: string }) => error.code)).toEqual(['CART_NOT_ACTIVE']);

    const result = await graph.database.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT set_config('app.store_id', ${keyOf(store.id)}, true)`;
      return deleteExpiredCarts(tx, keyOf(store.id));
    });
    expect(result).toEqual({ deleted: 1, expired: 1 });
    const storeId = keyOf(store.id);
    expect(await owner.cart.findUnique({ where: { storeId_id: { storeId, id: stale.id } } })).toBeNull();
    const statusOf = async (cartId: string) =>
      (await owner.cart.findUniqueOrThrow({ where: { storeId_id: { storeId, id: cartId } } })).status;
    expect(await statusOf(staleOfCustomer.id)).toBe('EXPIRED');
    expect(await statusOf(fresh.id)).toBe('ACTIVE');
  });

  it("signing in merges the anonymous cart with the customer's open cart, reporting merged, added, capped and dropped lines", async () => {
    const store = await createStore(graph.client);
    const plenty = await createProduct(
      graph.client,
      store,
      stockedProductInput([{ price: '2.00', stock: 50 }], { title: 'Plenty' }),
    );
    const scarce = await createProduct(
      graph.client,
      store,
      stockedProductInput([{ price: '3.00', stock: 4 }], { title: 'Scarce' }),
    );
    const retired = await createProduct(
      graph.client,
      store,
      stockedProductInput([{ price: '4.00', stock: 9 }], { title: 'Retired' }),
    );
    const saved = await createProduct(
      graph.client,
      store,
      stockedProductInput([{ price: '5.00', stock: 9 }], { title: 'Saved' }),
    );
    const customer = await insertCustomer(owner, store);
    const theirs = await createCart(
      graph.client,
      store,
      [
        { variantId: plenty.variants[0]!.id, quantity: 1 },
        { variantId: scarce.variants[0]!.id, quantity: 3 },
        { variantId: saved.variants[0]!.id, quantity: 1 },
      ],
      customer.accessToken,
    );
    const mine = await createCart(graph.client, store, [
      { variantId: plenty.variants[0]!.id, quantity: 2 },
      { variantId: scarce.variants[0]!.id, quantity: 2 },
      { variantId: retired.variants[0]!.id, quantity: 1 },
    ]);
    await owner.product.update({
      where: { storeId_id: { storeId: keyOf(store.id), id: keyOf(retired.id) } },
      data: { status: 'ARCHIVED' },
    });

    const merged = await graph.client.data(
      `mutation ($cartId: ID!) { cartBuyerIdentityUpdate(cartId: $cartId) { cart { ${CART_FIELDS} } lines { variantId title requestedQuantity quantity outcome reason } userErrors { code } } }`,
      { cartId: mine.id },
      { token: customer.accessToken },
    );

    const payload = merged.cartBuyerIdentityUpdate;
    expect(payload.userErrors).toEqual([]);
    expect(payload.lines).toEqual([
      {
        variantId: plenty.variants[0]!.id,
        title: 'Plenty',
        requestedQuantity: 3,
        quantity: 3,
        outcome: 'MERGED',
        reason: null,
      },
      {
        variantId: scarce.variants[0]!.id,
        title: 'Scarce',
        requestedQuantity: 5,
        quantity: 4,
        outcome: 'CAPPED',
        reason: 'Only 4 available.',
      },
      {
        variantId: retired.variants[0]!.id,
        title: 'Retired',
        requestedQuantity: 1,
        quantity: 0,
        outcome: 'DROPPED',
        reason: 'The product is no longer for sale.',
      },
      {
        variantId: saved.variants[0]!.id,
        title: 'Saved',
        requestedQuantity: 1,
        quantity: 1,
        outcome: 'ADDED',
        reason: null,
      },
    ]);
    expect(payload.cart.id).toBe(mine.id);
    expect(payload.cart.buyer).toEqual({ id: customer.id });
    expect(payload.cart.lines.map((line: { title: string; quantity: number }) => [line.title, line.quantity])).toEqual([
      ['Plenty', 3],
      ['Scarce', 4],
      ['Saved', 1],
    ]);
    const theirsNow = await owner.cart.findUniqueOrThrow({
      where: { storeId_id: { storeId: keyOf(store.id), id: theirs.id } },
    });
    expect(theirsNow.status).toBe('MERGED');
    // Now it is the customer's: nobody else may use it, even with its id.
    expect((await graph.client.data(CART_QUERY, { id: mine.id }, anonymous(store))).cart).toBeNull();
    const anonymousMerge = await graph.client.execute(
      `mutation ($cartId: ID!) { cartBuyerIdentityUpdate(cartId: $cartId) { userErrors { code } } }`,
      { cartId: mine.id },
      anonymous(store),
    );
    expect(errorCodes(anonymousMerge)).toEqual(['UNAUTHENTICATED']);
  });
});
