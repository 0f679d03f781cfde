// Every statement the graph sends on a distributed table names its store, so that Citus sends it to
// the one shard that holds the store (README, Past one database: Citus). The graph runs in this
// file's process, started inside a statement counter: every statement it sends on anyone's behalf
// is recorded, and each operation below is followed by the statements it caused. store-routing.ts
// says what counts as naming the store.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countStatements, type StatementCounter } from '@commerce/database';
import {
  createProduct,
  createStore,
  keyOf,
  QUIET_RELAY,
  type RequestOptions,
  signUpCustomer,
  startTestGraph,
  unique,
  type TestGraph,
  type TestProduct,
  type TestStore,
} from '@commerce/testkit';
import { asOwner, createCategory, INVENTORY_ADJUST, PRODUCT_FIELDS } from '@commerce/testkit/catalog-kit';
import {
  address,
  CART_ADDRESS,
  CART_CODES,
  CART_CREATE,
  CART_LINES_ADD,
  CART_LINES_UPDATE,
  CART_QUERY,
  placeOrder,
  stockedProductInput,
} from '@commerce/testkit/checkout-kit';
import {
  LOG_IN,
  setWishlistsEnabled,
  STORE_FOLLOW,
  STORE_FOLLOW_UPDATE,
  STORE_UNFOLLOW,
  WISHLIST_ADD,
  WISHLIST_REMOVE,
} from '@commerce/testkit/customer-kit';
import { createRate, createTaxRate, createZone, succeed } from '@commerce/testkit/store-kit';
import { readDistributionPlan } from './distribution-plan.js';
import { storeRoutingProblems } from './store-routing.js';

const plan = readDistributionPlan(
  readFileSync(fileURLToPath(new URL('../../../prisma/distribute.sql', import.meta.url)), 'utf8'),
);
const distributed = new Set(plan.tables.filter((table) => table.kind === 'distributed').map(({ table }) => table));

let graph: TestGraph;
let counter: StatementCounter;
beforeAll(async () => {
  // Started inside the counter, the graph's servers, pools and timers carry it: whatever the graph
  // sends is recorded, whichever request or background task sends it. The relay stays quiet so that
  // the statements after an operation are the operation's own. The staff reads below ask for more
  // than one operation may cost by default.
  ({ result: graph, counter } = await countStatements(() =>
    startTestGraph({ realtime: QUIET_RELAY, queryCost: { maxCost: 10_000 } }),
  ));
});
afterAll(() => graph.close());

/** The statements sent while an operation ran, and until the next began. */
interface Served {
  operation: string;
  statements: string[];
}

/** Records the operations of one test and the statements each caused. */
class Recording {
  readonly served: Served[] = [];

  async serve<T>(operation: string, run: () => Promise<T>): Promise<T> {
    const from = counter.statements.length;
    try {
      return await run();
    } finally {
      this.served.push({ operation, statements: counter.statements.slice(from) });
    }
  }

  /** A GraphQL request as one operation; fails on errors. */
  data(operation: string, query: string, variables: Record<string, unknown>, options: RequestOptions) {
    return this.serve(operation, () => graph.client.data(query, variables, options));
  }

  /** A mutation as one operation; fails on errors and on userErrors. Answers its payload. */
  async mutate(operation: string, mutation: string, variables: Record<string, unknown>, options: RequestOptions) {
    const data = await this.data(operation, mutation, variables, options);
    const [payload] = Object.values(data) as { userErrors?: unknown[] }[];
    expect(payload?.userErrors, `${operation} userErrors`).toEqual([]);
    return payload as Record<string, any>;
  }

  /** Each statement that does not name its store, with what is missing and the operation that sent it. */
  unrouted(): string[] {
    const seen = new Set<string>();
    return this.served.flatMap(({ operation, statements }) =>
      statements.flatMap((statement) => {
        const sql = statement.replace(/\s+/g, ' ').trim();
        if (seen.has(sql)) return [];
        seen.add(sql);
        return storeRoutingProblems(sql, distributed).map((problem) => `${operation}: ${problem}\n    ${sql}`);
      }),
    );
  }

  /** The operations that sent no statement, which would mean that the recording missed them. */
  unrecorded(): string[] {
    return this.served.filter(({ statements }) => statements.length === 0).map(({ operation }) => operation);
  }
}

function expectEveryStatementRouted(recording: Recording): void {
  expect(recording.unrecorded()).toEqual([]);
  expect(recording.unrouted()).toEqual([]);
}

interface Shop {
  store: TestStore;
  mug: TestProduct;
  teapot: TestProduct;
  category: { id: string };
  shippingRateId: string;
}

/** A store with a category, two stocked products in it (one with sizes), shipping to DE and a tax rate, through the graph. */
async function shop(recording: Recording): Promise<Shop> {
  const store = await recording.serve('sellerSignUp, storeCreate', () => createStore(graph.client));
  const category = await recording.serve('categoryCreate', () => createCategory(graph.client, store, { name: 'Tea' }));
  const mug = await recording.serve('productCreate (sizes)', () =>
    createProduct(
      graph.client,
      store,
      stockedProductInput(
        [
          { price: '12.00', size: 'S', stock: 20 },
          { price: '14.00', size: 'L', stock: 20 },
        ],
        { title: 'Mug', categoryIds: [category.id], tags: ['ceramic'] },
      ),
    ),
  );
  const teapot = await recording.serve('productCreate', () =>
    createProduct(
      graph.client,
      store,
      stockedProductInput([{ price: '30.00', stock: 5 }], { title: 'Teapot', categoryIds: [category.id] }),
    ),
  );
  const zone = await recording.serve('shippingZoneCreate', () =>
    createZone(graph.client, store, { name: 'Germany', countries: ['DE'] }),
  );
  const rate = await recording.serve('shippingRateCreate', () => createRate(graph.client, store, zone.id));
  await recording.serve('taxRateCreate', () =>
    createTaxRate(graph.client, store, { countryCode: 'DE', region: null, rate: '0.19', inclusive: true }),
  );
  return { store, mug, teapot, category, shippingRateId: rate.id };
}

const USER_ERRORS = 'userErrors { code }';

describe('every statement on a distributed table names its store', () => {
  it('in the storefront: listing with variants, prices, images and stock; product page; search; categories', async () => {
    const recording = new Recording();
    const { store, mug, category } = await shop(recording);
    const storefront = { store: store.slug };
    await recording.data(
      'storefront listing',
      `query { store { products(first: 10) { nodes { ${PRODUCT_FIELDS} } totalCount } } }`,
      {},
      storefront,
    );
    await recording.data(
      'product by handle',
      `query ($handle: String!) { store { product(handle: $handle) { ${PRODUCT_FIELDS} } } }`,
      { handle: mug.handle },
      storefront,
    );
    await recording.data(
      'search',
      `query { store { products(first: 10, filter: { query: "mug" }, sortKey: RELEVANCE) {
        nodes { title priceRange { minVariantPrice { amount } } variants(first: 5) { nodes { sku inventory { available } } } } totalCount } } }`,
      {},
      storefront,
    );
    await recording.data(
      'categories with their products',
      `query { store { categories(first: 10) { nodes { name parent { id } children { name }
        products(first: 10) { nodes { title images { url } } totalCount } } totalCount } } }`,
      {},
      storefront,
    );
    await recording.data(
      'nodes of a product, a variant and a category',
      `query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Product { title } ... on ProductVariant { sku product { title } } ... on Category { name } } }`,
      { ids: [mug.id, mug.variants[0]!.id, category.id] },
      storefront,
    );
    expectEveryStatementRouted(recording);
  });

  it('in carts and checkout, as a guest and as a customer', async () => {
    const recording = new Recording();
    const { store, mug, teapot, shippingRateId } = await shop(recording);
    await recording.mutate(
      'discountCodeCreate',
      `mutation ($input: DiscountCodeCreateInput!) { discountCodeCreate(input: $input) { discountCode { id } ${USER_ERRORS} } }`,
      { input: { code: 'TEA10', type: 'PERCENTAGE', value: '10', usageLimitPerCustomer: 5 } },
      asOwner(store),
    );
    const storefront = { store: store.slug };
    const { cart } = await recording.mutate(
      'cartCreate',
      CART_CREATE,
      { input: { lines: [{ variantId: mug.variants[0]!.id, quantity: 1 }] } },
      storefront,
    );
    const added = await recording.mutate(
      'cartLinesAdd',
      CART_LINES_ADD,
      {
        cartId: cart.id,
        lines: [
          { variantId: teapot.variants[0]!.id, quantity: 1 },
          { variantId: mug.variants[1]!.id, quantity: 1 },
        ],
      },
      storefront,
    );
    const [first, , third] = added.cart.lines;
    await recording.mutate(
      'cartLinesUpdate',
      CART_LINES_UPDATE,
      { cartId: cart.id, lines: [{ id: first.id, quantity: 2 }] },
      storefront,
    );
    await recording.mutate(
      'cartLinesRemove',
      `mutation ($cartId: ID!, $lineIds: [ID!]!) { cartLinesRemove(cartId: $cartId, lineIds: $lineIds) { cart { id } ${USER_ERRORS} } }`,
      { cartId: cart.id, lineIds: [third.id] },
      storefront,
    );
    await recording.mutate('cartDiscountCodesUpdate', CART_CODES, { cartId: cart.id, codes: ['TEA10'] }, storefront);
    await recording.mutate(
      'cartShippingAddressUpdate',
      CART_ADDRESS,
      { input: { cartId: cart.id, shippingAddress: address('DE'), shippingRateId } },
      storefront,
    );
    await recording.data('cart', CART_QUERY, { id: cart.id }, storefront);
    await recording.serve('checkoutComplete (guest)', () =>
      placeOrder(graph.client, store, cart.id, { shippingRateId }),
    );

    const customer = await recording.serve('customerSignUp', () => signUpCustomer(graph.client, store));
    const signedIn = { store: store.slug, token: customer.accessToken };
    const anonymous = await recording.mutate(
      'cartCreate (before signing in)',
      CART_CREATE,
      { input: { lines: [{ variantId: teapot.variants[0]!.id, quantity: 1 }] } },
      storefront,
    );
    // The customer's own cart, which signing the anonymous cart in merges into it.
    await recording.mutate(
      'cartCreate (customer)',
      CART_CREATE,
      { input: { lines: [{ variantId: mug.variants[1]!.id, quantity: 1 }] } },
      signedIn,
    );
    await recording.mutate(
      'cartBuyerIdentityUpdate',
      `mutation ($cartId: ID!) { cartBuyerIdentityUpdate(cartId: $cartId) { cart { id } lines { outcome } ${USER_ERRORS} } }`,
      { cartId: anonymous.cart.id },
      signedIn,
    );
    await recording.mutate(
      'cartDiscountCodesUpdate (customer)',
      CART_CODES,
      { cartId: anonymous.cart.id, codes: ['TEA10'] },
      signedIn,
    );
    await recording.serve('checkoutComplete (customer)', () =>
      placeOrder(graph.client, store, anonymous.cart.id, { token: customer.accessToken, email: customer.email }),
    );
    expectEveryStatementRouted(recording);
  });

  it('in customer accounts: sign-up, log-in, profile, addresses, sessions, and me with addresses and orders', async () => {
    const recording = new Recording();
    const { store, mug } = await shop(recording);
    const customer = await recording.serve('customerSignUp', () => signUpCustomer(graph.client, store));
    const logIn = await recording.mutate(
      'customerLogIn',
      LOG_IN,
      { input: { email: customer.email, password: customer.password } },
      { store: store.slug },
    );
    const signedIn = { store: store.slug, token: logIn.accessToken as string };
    await recording.mutate(
      'customerUpdate',
      `mutation ($input: CustomerUpdateInput!) { customerUpdate(input: $input) { customer { id } ${USER_ERRORS} } }`,
      { input: { phone: '+49 30 1234567', acceptsMarketing: true } },
      signedIn,
    );
    const created = await recording.mutate(
      'customerAddressCreate',
      `mutation ($input: CustomerAddressCreateInput!) { customerAddressCreate(input: $input) { address { id } ${USER_ERRORS} } }`,
      { input: { ...address('DE'), defaultShipping: true } },
      signedIn,
    );
    const second = await recording.mutate(
      'customerAddressCreate (second)',
      `mutation ($input: CustomerAddressCreateInput!) { customerAddressCreate(input: $input) { address { id } ${USER_ERRORS} } }`,
      { input: address('DE', { city: 'Hamburg', zip: '20095' }) },
      signedIn,
    );
    await recording.mutate(
      'customerAddressUpdate',
      `mutation ($input: CustomerAddressUpdateInput!) { customerAddressUpdate(input: $input) { address { id } ${USER_ERRORS} } }`,
      { input: { id: created.address.id, address2: 'Hinterhaus' } },
      signedIn,
    );
    await recording.mutate(
      'customerDefaultAddressSet',
      `mutation ($id: ID!) { customerDefaultAddressSet(addressId: $id) { customer { id } ${USER_ERRORS} } }`,
      { id: second.address.id },
      signedIn,
    );
    await recording.mutate(
      'customerAddressDelete',
      `mutation ($input: CustomerAddressDeleteInput!) { customerAddressDelete(input: $input) { deletedAddressId ${USER_ERRORS} } }`,
      { input: { id: created.address.id } },
      signedIn,
    );
    const { cart } = await recording.mutate(
      'cartCreate (customer)',
      CART_CREATE,
      { input: { lines: [{ variantId: mug.variants[0]!.id, quantity: 1 }] } },
      signedIn,
    );
    await recording.serve('checkoutComplete (customer)', () =>
      placeOrder(graph.client, store, cart.id, { token: signedIn.token, email: customer.email }),
    );
    await recording.data(
      'currentCustomer with addresses and orders',
      `query { currentCustomer { id email displayName addresses { id city } defaultAddress { id } defaultShippingAddress { id }
        ordersCount totalSpent { amount } averageOrderValue { amount }
        orders(first: 5) { nodes { number total { amount } lines { title quantity variant { sku } } fulfillments { id } } totalCount } } }`,
      {},
      signedIn,
    );
    const refreshed = await recording.mutate(
      'tokenRefresh',
      `mutation ($token: String!) { tokenRefresh(refreshToken: $token) { accessToken refreshToken ${USER_ERRORS} } }`,
      { token: logIn.refreshToken },
      { store: store.slug },
    );
    for (const email of [customer.email, `${unique('nobody')}@example.com`]) {
      await recording.mutate(
        `customerPasswordResetRequest (${email === customer.email ? 'an account' : 'no account'})`,
        `mutation ($email: String!) { customerPasswordResetRequest(email: $email) { ${USER_ERRORS} } }`,
        { email },
        { store: store.slug },
      );
    }
    await recording.mutate(
      'customerLogOutEverywhere',
      `mutation { customerLogOutEverywhere { revokedSessions ${USER_ERRORS} } }`,
      {},
      { store: store.slug, token: refreshed.accessToken },
    );
    await recording.mutate(
      'customerDelete',
      `mutation ($input: CustomerDeleteInput!) { customerDelete(input: $input) { deletedCustomerId ${USER_ERRORS} } }`,
      { input: { password: customer.password } },
      { store: store.slug, token: refreshed.accessToken },
    );
    expectEveryStatementRouted(recording);
  });

  it('in staff work: products, orders and their details, customers, stock, fulfilment, refund, settings, analytics', async () => {
    const recording = new Recording();
    const { store, mug, teapot } = await shop(recording);
    const staff = asOwner(store);
    const customer = await recording.serve('customerSignUp', () => signUpCustomer(graph.client, store));
    const { cart } = await recording.mutate(
      'cartCreate (customer)',
      CART_CREATE,
      {
        input: {
          lines: [
            { variantId: mug.variants[0]!.id, quantity: 3 },
            { variantId: teapot.variants[0]!.id, quantity: 1 },
          ],
        },
      },
      { store: store.slug, token: customer.accessToken },
    );
    const order = await recording.serve('checkoutComplete (customer)', () =>
      placeOrder(graph.client, store, cart.id, { token: customer.accessToken, email: customer.email }),
    );
    const [mugLine, teapotLine] = order.lines;

    await recording.data(
      'products (staff)',
      `query { store { products(first: 10, sortKey: TITLE) { nodes { title status totalInventory
        variants(first: 10) { nodes { sku lowStock inventoryLevels { available committed location { name } }
          stockMovements(first: 5) { nodes { delta reason location { name } } totalCount } } totalCount } } totalCount } } }`,
      {},
      staff,
    );
    await recording.mutate(
      'inventoryAdjust',
      INVENTORY_ADJUST,
      { input: { variantId: teapot.variants[0]!.id, delta: 4, reason: 'restock' }, key: unique('adjust') },
      staff,
    );
    await recording.data(
      'low stock and locations',
      `query { store { lowStockVariants(first: 10) { nodes { sku } } inventoryLocations(first: 10) { nodes { name isDefault } } } }`,
      {},
      staff,
    );
    await recording.mutate(
      'orderConfirm',
      `mutation ($input: OrderConfirmInput!) { orderConfirm(input: $input) { order { status } ${USER_ERRORS} } }`,
      { input: { orderId: order.id } },
      staff,
    );
    await recording.mutate(
      'fulfillmentCreate',
      `mutation ($input: FulfillmentCreateInput!) { fulfillmentCreate(input: $input) {
        fulfillment { id lines { quantity orderLine { title } } } order { fulfillmentStatus } ${USER_ERRORS} } }`,
      {
        input: {
          orderId: order.id,
          lines: [{ orderLineId: mugLine.id, quantity: 2 }],
          carrier: 'DHL',
          trackingNumber: '42',
        },
      },
      staff,
    );
    await recording.mutate(
      'refundCreate',
      `mutation ($input: RefundCreateInput!, $key: String!) { refundCreate(input: $input, idempotencyKey: $key) {
        refund { id lines { quantity orderLine { title } } } order { paymentStatus } ${USER_ERRORS} } }`,
      {
        input: {
          orderId: order.id,
          reason: 'broken',
          restock: true,
          lines: [{ orderLineId: teapotLine.id, quantity: 1 }],
        },
        key: unique('refund'),
      },
      staff,
    );
    await recording.mutate(
      'orderNoteAdd',
      `mutation ($input: OrderNoteAddInput!) { orderNoteAdd(input: $input) { order { note } ${USER_ERRORS} } }`,
      { input: { orderId: order.id, note: 'Handle with care' } },
      staff,
    );
    await recording.data(
      'orders (staff)',
      `query { store { orders(first: 10) { nodes { number status customer { email } lines { title } } totalCount } } }`,
      {},
      staff,
    );
    await recording.data(
      'order detail',
      `query ($id: ID!) { order(id: $id) { number status paymentStatus fulfillmentStatus total { amount } totalRefunded { amount }
        customer { email ordersCount }
        lines { title quantity fulfilledQuantity refundedQuantity variant { sku } product { title } }
        payments { amount { amount } status transactions { kind amount { amount } } }
        fulfillments { carrier trackingNumber lines { quantity orderLine { title } } }
        refunds { amount { amount } reason lines { quantity amount { amount } orderLine { title } } }
        events { type message actorType } } }`,
      { id: order.id },
      staff,
    );
    await recording.data(
      'orderTrack',
      `query ($number: String!, $email: String!) { orderTrack(number: $number, email: $email) {
        number status lines { title quantity fulfilledQuantity } shipments { carrier trackingNumber } } }`,
      { number: order.number, email: customer.email },
      { store: store.slug },
    );
    await recording.data(
      'customers (staff)',
      `query { store { customers(first: 10) { nodes { email ordersCount totalSpent { amount } lastOrderAt
        addresses { city } orders(first: 3) { nodes { number } } } totalCount } } }`,
      {},
      staff,
    );
    await recording.data(
      'customer (staff)',
      `query ($id: ID!) { customer(id: $id) { email note ordersCount orders(first: 5) { nodes { number } } } }`,
      { id: customer.id },
      staff,
    );
    await recording.mutate(
      'customerUpdateByStaff',
      `mutation ($input: CustomerUpdateByStaffInput!) { customerUpdateByStaff(input: $input) { customer { id } ${USER_ERRORS} } }`,
      { input: { id: customer.id, note: 'Prefers tea', tags: ['regular'] } },
      staff,
    );
    await recording.serve('storeConfigUpdate', () =>
      succeed(graph.client, 'storeConfigUpdate', { settings: { lowStockThreshold: 3, minOrderAmount: '5' } }, staff),
    );
    await recording.data(
      'store settings',
      `query { store { name currencyCode viewerRole settings { guestCheckoutEnabled lowStockThreshold minOrderAmount { amount } }
        branding { primaryColor } shippingZones { name countries rates { name price { amount } } } taxRates { countryCode rate }
        staffMembers { email role } domains { hostname } discountCodes(first: 5) { nodes { code usedCount } } } }`,
      {},
      staff,
    );
    await recording.data(
      'analytics sales',
      `query ($range: DateRangeInput!) { store { analytics(range: $range, interval: DAY, compare: PREVIOUS_PERIOD) {
        upToSequence asOf
        sales { revenue { amount } ordersCount averageOrderValue { amount } netSales { amount } series { start revenue { amount } ordersCount } }
        topProducts(first: 5) { product { title } unitsSold netSales { amount } ordersCount }
        customers { new returning repeatRate averageLifetimeValue { amount } }
        conversion { carts checkouts orders rate }
        inventory { lowStock outOfStock stockValue { amount } variants(first: 5) { nodes { sku } } }
        change { revenue }
      } } }`,
      {
        range: {
          from: new Date(Date.now() - 86_400_000).toISOString(),
          to: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      staff,
    );
    await recording.data(
      'analytics of a product and a customer',
      `query ($product: ID!, $customer: ID!, $range: DateRangeInput!) {
        store { product(id: $product) { sales(range: $range) { unitsSold netSales { amount } } } }
        customer(id: $customer) { lifetime { ordersCount netSales { amount } firstOrderAt } }
      }`,
      {
        product: mug.id,
        customer: customer.id,
        range: {
          from: new Date(Date.now() - 86_400_000).toISOString(),
          to: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      staff,
    );
    expectEveryStatementRouted(recording);
  });

  it('in order changes: payment by hand, delivery, cancellation', async () => {
    const recording = new Recording();
    const { store, mug, teapot } = await shop(recording);
    const staff = asOwner(store);
    const orderOf = async (variantId: string, provider: 'MANUAL' | 'TEST_CARD') => {
      const { cart } = await recording.mutate(
        'cartCreate',
        CART_CREATE,
        { input: { lines: [{ variantId, quantity: 1 }] } },
        { store: store.slug },
      );
      return recording.serve(`checkoutComplete (${provider})`, () =>
        // Without a payment, checkout pays by the test card.
        placeOrder(graph.client, store, cart.id, provider === 'MANUAL' ? { payment: { provider } } : {}),
      );
    };
    const manual = await orderOf(mug.variants[0]!.id, 'MANUAL');
    const ORDER = `order { status paymentStatus fulfillmentStatus } ${USER_ERRORS}`;
    await recording.mutate(
      'orderMarkPaid',
      `mutation ($input: OrderMarkPaidInput!) { orderMarkPaid(input: $input) { ${ORDER} } }`,
      { input: { orderId: manual.id, reference: 'BANK-42' } },
      staff,
    );
    await recording.mutate(
      'orderConfirm',
      `mutation ($input: OrderConfirmInput!) { orderConfirm(input: $input) { ${ORDER} } }`,
      { input: { orderId: manual.id } },
      staff,
    );
    await recording.mutate(
      'fulfillmentCreate (everything)',
      `mutation ($input: FulfillmentCreateInput!) { fulfillmentCreate(input: $input) { ${ORDER} } }`,
      { input: { orderId: manual.id, carrier: 'UPS', trackingNumber: '1Z999' } },
      staff,
    );
    await recording.mutate(
      'orderMarkDelivered',
      `mutation ($input: OrderMarkDeliveredInput!) { orderMarkDelivered(input: $input) { ${ORDER} } }`,
      { input: { orderId: manual.id } },
      staff,
    );
    const paid = await orderOf(teapot.variants[0]!.id, 'TEST_CARD');
    await recording.mutate(
      'orderCancel',
      `mutation ($input: OrderCancelInput!) { orderCancel(input: $input) { ${ORDER} } }`,
      { input: { orderId: paid.id, reason: 'Out of season', restock: true } },
      staff,
    );
    expectEveryStatementRouted(recording);
  });

  it('in payments and order states: authorize, capture, void, accept, ready for pickup, reject', async () => {
    const recording = new Recording();
    const { store, mug } = await shop(recording);
    const staff = asOwner(store);
    await recording.mutate(
      'storeConfigUpdate (manual capture)',
      `mutation ($input: StoreConfigUpdateInput!) { storeConfigUpdate(input: $input) { store { id } ${USER_ERRORS} } }`,
      { input: { settings: { paymentCaptureMode: 'MANUAL' } } },
      staff,
    );
    const authorized = async () => {
      const { cart } = await recording.mutate(
        'cartCreate',
        CART_CREATE,
        { input: { lines: [{ variantId: mug.variants[0]!.id, quantity: 1 }] } },
        { store: store.slug },
      );
      return recording.serve('checkoutComplete (authorized)', () => placeOrder(graph.client, store, cart.id));
    };
    const ORDER = `order { status paymentStatus } ${USER_ERRORS}`;
    const CAPTURE = `mutation ($input: OrderPaymentCaptureInput!, $key: String!) { orderPaymentCapture(input: $input, idempotencyKey: $key) { ${ORDER} } }`;
    const captured = await authorized();
    await recording.mutate(
      'orderPaymentCapture (part)',
      CAPTURE,
      { input: { orderId: captured.id, amount: '5.00' }, key: unique('c') },
      staff,
    );
    await recording.mutate(
      'orderPaymentCapture (rest)',
      CAPTURE,
      { input: { orderId: captured.id }, key: unique('c') },
      staff,
    );
    const voided = await authorized();
    await recording.mutate(
      'orderPaymentVoid',
      `mutation ($orderId: ID!) { orderPaymentVoid(orderId: $orderId) { ${ORDER} } }`,
      { orderId: voided.id },
      staff,
    );
    await recording.mutate(
      'orderAccept',
      `mutation ($input: OrderAcceptInput!) { orderAccept(input: $input) { ${ORDER} } }`,
      { input: { orderId: voided.id } },
      staff,
    );
    await recording.mutate(
      'orderMarkReadyForPickup',
      `mutation ($input: OrderMarkReadyForPickupInput!) { orderMarkReadyForPickup(input: $input) { ${ORDER} } }`,
      { input: { orderId: voided.id } },
      staff,
    );
    const rejected = await authorized();
    await recording.mutate(
      'orderReject',
      `mutation ($input: OrderRejectInput!) { orderReject(input: $input) { ${ORDER} } }`,
      { input: { orderId: rejected.id, reason: 'Cannot ship there' } },
      staff,
    );
    expectEveryStatementRouted(recording);
  });

  it('in catalog management: products, variants, categories, locations, stock', async () => {
    const recording = new Recording();
    const { store, mug, teapot, category } = await shop(recording);
    const staff = asOwner(store);
    const PRODUCT = `product { id title variants(first: 10) { nodes { id sku } } } ${USER_ERRORS}`;
    const child = await recording.serve('categoryCreate (child)', () =>
      createCategory(graph.client, store, { name: 'Mugs', parentId: category.id }),
    );
    await recording.mutate(
      'productUpdate',
      `mutation ($input: ProductUpdateInput!) { productUpdate(input: $input) { ${PRODUCT} } }`,
      {
        input: {
          id: mug.id,
          title: 'Big mug',
          categoryIds: [child.id],
          images: [{ url: 'https://example.com/big-mug.jpg', altText: 'Big mug' }],
          options: [{ name: 'Size', values: ['S', 'L', 'XL'] }],
        },
      },
      staff,
    );
    const created = await recording.mutate(
      'productVariantsCreate',
      `mutation ($input: ProductVariantsCreateInput!) { productVariantsCreate(input: $input) { productVariants { id } ${USER_ERRORS} } }`,
      {
        input: {
          productId: mug.id,
          variants: [
            { price: '16.00', sku: unique('XL'), inventoryQuantity: 3, options: [{ name: 'Size', value: 'XL' }] },
          ],
        },
      },
      staff,
    );
    await recording.mutate(
      'productVariantsUpdate',
      `mutation ($input: ProductVariantsUpdateInput!) { productVariantsUpdate(input: $input) { productVariants { id } ${USER_ERRORS} } }`,
      {
        input: {
          productId: mug.id,
          variants: [{ id: created.productVariants[0].id, price: '17.00', sku: unique('XL'), lowStockThreshold: 2 }],
        },
      },
      staff,
    );
    await recording.mutate(
      'productVariantsDelete',
      `mutation ($input: ProductVariantsDeleteInput!) { productVariantsDelete(input: $input) { deletedVariantIds ${USER_ERRORS} } }`,
      { input: { productId: mug.id, variantIds: [created.productVariants[0].id] } },
      staff,
    );
    const location = await recording.mutate(
      'inventoryLocationCreate',
      `mutation ($input: InventoryLocationCreateInput!) { inventoryLocationCreate(input: $input) { inventoryLocation { id } ${USER_ERRORS} } }`,
      { input: { name: 'Warehouse' } },
      staff,
    );
    await recording.mutate(
      'inventorySet',
      `mutation ($input: InventorySetInput!) { inventorySet(input: $input) { inventoryLevel { available } ${USER_ERRORS} } }`,
      {
        input: {
          variantId: teapot.variants[0]!.id,
          locationId: location.inventoryLocation.id,
          quantity: 7,
          reason: 'count',
        },
      },
      staff,
    );
    const popUp = await recording.mutate(
      'inventoryLocationCreate (no stock)',
      `mutation ($input: InventoryLocationCreateInput!) { inventoryLocationCreate(input: $input) { inventoryLocation { id } ${USER_ERRORS} } }`,
      { input: { name: 'Pop-up' } },
      staff,
    );
    await recording.mutate(
      'inventoryLocationUpdate (retire)',
      `mutation ($input: InventoryLocationUpdateInput!) { inventoryLocationUpdate(input: $input) { inventoryLocation { id } ${USER_ERRORS} } }`,
      { input: { id: popUp.inventoryLocation.id, active: false } },
      staff,
    );
    await recording.mutate(
      'inventoryLocationUpdate',
      `mutation ($input: InventoryLocationUpdateInput!) { inventoryLocationUpdate(input: $input) { inventoryLocation { id } ${USER_ERRORS} } }`,
      { input: { id: location.inventoryLocation.id, name: 'Main warehouse', isDefault: true } },
      staff,
    );
    await recording.mutate(
      'categoryUpdate',
      `mutation ($input: CategoryUpdateInput!) { categoryUpdate(input: $input) { category { id } ${USER_ERRORS} } }`,
      { input: { id: child.id, name: 'Cups', parentId: null } },
      staff,
    );
    await recording.mutate(
      'categoryDelete',
      `mutation ($id: ID!) { categoryDelete(id: $id) { deletedCategoryId ${USER_ERRORS} } }`,
      { id: category.id },
      staff,
    );
    await recording.mutate(
      'productDelete',
      `mutation ($id: ID!) { productDelete(id: $id) { deletedProductId ${USER_ERRORS} } }`,
      { id: teapot.id },
      staff,
    );
    expectEveryStatementRouted(recording);
  });

  it('in store management: settings, shipping, taxes, discount codes, staff', async () => {
    const recording = new Recording();
    const { store } = await shop(recording);
    const staff = asOwner(store);
    await recording.mutate(
      'storeUpdate',
      `mutation ($input: StoreUpdateInput!) { storeUpdate(input: $input) { store { id } ${USER_ERRORS} } }`,
      { input: { description: 'Tea and what goes with it' } },
      staff,
    );
    const zone = await recording.serve('shippingZoneCreate (second)', () =>
      createZone(graph.client, store, { name: 'Austria', countries: ['AT'] }),
    );
    const rate = await recording.serve('shippingRateCreate (second)', () => createRate(graph.client, store, zone.id));
    await recording.serve('shippingZoneUpdate', () =>
      succeed(graph.client, 'shippingZoneUpdate', { id: zone.id, countries: ['AT', 'CH'] }, staff),
    );
    await recording.serve('shippingRateUpdate', () =>
      succeed(graph.client, 'shippingRateUpdate', { id: rate.id, price: '5.90' }, staff),
    );
    await recording.serve('shippingRateDelete', () =>
      succeed(graph.client, 'shippingRateDelete', { id: rate.id }, staff),
    );
    await recording.serve('shippingZoneDelete', () =>
      succeed(graph.client, 'shippingZoneDelete', { id: zone.id }, staff),
    );
    const tax = await recording.serve('taxRateCreate (second)', () =>
      createTaxRate(graph.client, store, { countryCode: 'AT', region: null, rate: '0.20' }),
    );
    await recording.serve('taxRateUpdate', () =>
      succeed(graph.client, 'taxRateUpdate', { id: tax.id, rate: '0.10' }, staff),
    );
    await recording.serve('taxRateDelete', () => succeed(graph.client, 'taxRateDelete', { id: tax.id }, staff));
    const code = await recording.mutate(
      'discountCodeCreate',
      `mutation ($input: DiscountCodeCreateInput!) { discountCodeCreate(input: $input) { discountCode { id } ${USER_ERRORS} } }`,
      { input: { code: 'SHIPFREE', type: 'FREE_SHIPPING' } },
      staff,
    );
    await recording.mutate(
      'discountCodeUpdate',
      `mutation ($input: DiscountCodeUpdateInput!) { discountCodeUpdate(input: $input) { discountCode { id } ${USER_ERRORS} } }`,
      { input: { id: code.discountCode.id, active: false } },
      staff,
    );
    const invited = await recording.serve('staffMemberAdd', () =>
      succeed(graph.client, 'staffMemberAdd', { email: `${unique('invitee')}@example.com`, role: 'STAFF' }, staff),
    );
    await recording.serve('staffMemberUpdate', () =>
      succeed(graph.client, 'staffMemberUpdate', { id: invited.staffMember.id, role: 'MANAGER' }, staff),
    );
    await recording.serve('staffMemberRemove', () =>
      succeed(graph.client, 'staffMemberRemove', { id: invited.staffMember.id }, staff),
    );
    await recording.data(
      'currentSeller with stores',
      `query { currentSeller { id email stores { id name } } }`,
      {},
      { token: store.owner.accessToken },
    );
    expectEveryStatementRouted(recording);
  });
  it('in wishlists and follows: guest and customer saves, the merge at log-in, pages, follows and counts', async () => {
    const recording = new Recording();
    const { store, mug, teapot } = await shop(recording);
    await recording.serve('storeConfigUpdate (wishlists on)', () => setWishlistsEnabled(graph.client, store, true));
    const storefront = { store: store.slug };
    const guest = await recording.mutate(
      'wishlistAdd (new guest)',
      WISHLIST_ADD,
      { input: { productId: mug.id } },
      storefront,
    );
    const token = guest.guestWishlistToken;
    const saved = await recording.mutate(
      'wishlistAdd (guest)',
      WISHLIST_ADD,
      { input: { productId: mug.id, variantId: mug.variants[0]!.id, guestWishlistToken: token } },
      storefront,
    );
    await recording.data(
      'guestWishlist',
      `query ($token: String!) { guestWishlist(token: $token, first: 10) { nodes { id product { title } variant { sku } } totalCount } }`,
      { token },
      storefront,
    );
    await recording.mutate(
      'wishlistRemove (guest)',
      WISHLIST_REMOVE,
      { itemId: saved.wishlistItem.id, token },
      storefront,
    );
    const customer = await recording.serve('customerSignUp', () => signUpCustomer(graph.client, store));
    const signedIn = { token: customer.accessToken };
    await recording.mutate('wishlistAdd (customer)', WISHLIST_ADD, { input: { productId: teapot.id } }, signedIn);
    await recording.mutate(
      'customerLogIn (merging a guest wishlist)',
      LOG_IN,
      { input: { email: customer.email, password: customer.password, guestWishlistToken: token } },
      storefront,
    );
    await recording.data(
      'customer wishlist',
      `query { currentCustomer { wishlist(first: 10) { nodes { id addedAt product { title priceRange { minVariantPrice { amount } } } variant { price { amount } inventory { available } } } totalCount } followedStores { id } } }`,
      {},
      signedIn,
    );
    await recording.mutate('storeFollow', STORE_FOLLOW, { storeId: store.id }, signedIn);
    await recording.data('followersCount', `query { store { followersCount } }`, {}, storefront);
    await recording.mutate(
      'storeFollowUpdate',
      STORE_FOLLOW_UPDATE,
      { input: { storeId: store.id, notifyNewProducts: true } },
      signedIn,
    );
    await recording.data(
      'storeFollows',
      `query { currentCustomer { storeFollows { followedAt notifyNewProducts store { id } } } }`,
      {},
      signedIn,
    );
    await recording.mutate(
      'productCreate (published, for the follower mail)',
      `mutation ($input: ProductCreateInput!) { productCreate(input: $input) { product { id } ${USER_ERRORS} } }`,
      { input: { title: 'Kettle', status: 'ACTIVE', variants: [{ price: '25.00' }] } },
      asOwner(store),
    );
    // The follower mail writer runs uncounted, beside the relay: its batch is counted here.
    const writer = graph.graph.realtime.followerMail;
    if (!writer) throw new Error('the graph runs no follower mail writer');
    const batch = await countStatements(() => writer.catchUp(keyOf(store.id)));
    expect(batch.counter.statements.some((sql) => sql.includes('"MailMessage"'))).toBe(true);
    recording.served.push({ operation: 'follower mail batch', statements: batch.counter.statements });
    await recording.mutate('storeUnfollow', STORE_UNFOLLOW, { storeId: store.id }, signedIn);
    expectEveryStatementRouted(recording);
  });
});
