// A crash in the middle of checkouts: the graph's process is killed (SIGKILL, as the kernel's OOM
// killer or a lost machine would) while its checkout transactions are open. Whatever had not
// committed is rolled back by PostgreSQL; what had committed is a whole order. No stock is lost,
// and buyers who retry with their idempotency keys, against a graph that is up again, get each
// cart's order exactly once. Also: a checkout that gives up waiting for a lock (TRY_AGAIN).
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Prisma, type PrismaClient } from '@commerce/database';
import {
  createProduct,
  createStore,
  eventually,
  GraphClient,
  keyOf,
  startIsolatedTestGraph,
  type TestProduct,
  unique,
  type IsolatedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import { forkGraph, type GraphProcess } from '@commerce/testkit/graph-process';
import {
  CART_CODES,
  type CartLineRequest,
  checkout,
  createCart,
  insertShippingZone,
  stockedProductInput,
  stockOf,
} from '@commerce/testkit/checkout-kit';

/** The application_name of the killed graph's connections, to find them in pg_stat_activity. */
const CRASHING = 'checkout-crash-test';
/** Checkouts the crashing graph runs at once in one store (the rest wait in the process, outside any transaction). */
const IN_FLIGHT = 3;

/** The graph that is up after the crash (in this process), over a database of the test's own. */
let graph: IsolatedTestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  graph = await startIsolatedTestGraph();
  owner = graph.owner;
});
/** What a test leaves running if it fails half-way: the crashing graph, row locks held. */
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup().catch(() => {});
});
afterAll(async () => {
  await graph?.close();
});

/** A graph in a process of its own, on the same database, to be killed. */
async function startCrashingGraph(env: Record<string, string> = {}): Promise<GraphProcess> {
  const url = new URL(graph.databaseUrl);
  url.searchParams.set('application_name', CRASHING);
  const crashing = await forkGraph(url.toString(), {
    REDIS_URL: '',
    STOREFRONT_CACHE_TTL_SECONDS: '0',
    CHECKOUT_CONCURRENCY_PER_STORE: String(IN_FLIGHT),
    ...env,
  });
  cleanups.push(() => crashing.kill());
  return crashing;
}

/** Takes row locks (a SELECT … FOR UPDATE) as the database owner and holds them until released. */
async function holdRowLocks(query: Prisma.Sql): Promise<() => Promise<void>> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let taken = () => {};
  const lockTaken = new Promise<void>((resolve) => (taken = resolve));
  const holder = owner.$transaction(
    async (tx) => {
      await tx.$queryRaw(query);
      taken();
      await released;
    },
    { timeout: 60_000 },
  );
  await Promise.race([lockTaken, holder]);
  const end = async () => {
    release();
    await holder;
  };
  cleanups.push(end);
  return end;
}

const STATES = {
  any: Prisma.sql`true`,
  'waiting for a lock': Prisma.sql`wait_event_type = 'Lock'`,
  // useDiscountCodes: the UPDATE of a code's row.
  'waiting to use a discount code': Prisma.sql`wait_event_type = 'Lock' AND query LIKE '%UPDATE "DiscountCode"%'`,
  // writeOrder, sent with its COMMIT in one message (commitWith); it starts with the stock writes.
  'waiting to write the order, its COMMIT sent': Prisma.sql`wait_event_type = 'Lock' AND query LIKE '%stock_changed AS (%'`,
};

/** Sessions of the crashing graph in this test's database, optionally only those in a state. */
async function crashingSessions(state: keyof typeof STATES = 'any'): Promise<number> {
  const [row] = await owner.$queryRaw<[{ count: number }]>`
    SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND application_name = ${CRASHING} AND ${STATES[state]}`;
  return row.count;
}

/** Waits until PostgreSQL has ended the killed graph's sessions, rolling back their open transactions. */
function sessionsEnded(): Promise<void> {
  return eventually('the killed graph’s sessions to end', async () => (await crashingSessions()) === 0);
}

/** What a checkout sent to the crashing graph came to: an answer, or the connection reset by the crash. */
type Outcome = { answered: true; order: { id: string; number: string } | null; codes: string[] } | { answered: false };

function checkoutOutcome(
  client: GraphClient,
  store: TestStore,
  cartId: string,
  key: string,
  email: string,
): Promise<Outcome> {
  return checkout(client, store, cartId, { key, email }).then(
    (response) => {
      const payload = response.data?.checkoutComplete;
      return {
        answered: true,
        order: payload?.order ?? null,
        codes: [
          ...(response.errors ?? []).map((error) => String(error.extensions?.code)),
          ...(payload?.userErrors ?? []).map((error: { code: string }) => error.code),
        ],
      };
    },
    () => ({ answered: false }),
  );
}

interface Purchase {
  cartId: string;
  lines: CartLineRequest[];
  key: string;
  email: string;
}

async function purchases(store: TestStore, carts: CartLineRequest[][]): Promise<Purchase[]> {
  return Promise.all(
    carts.map(async (lines) => ({
      cartId: (await createCart(graph.client, store, lines)).id,
      lines,
      key: unique('key'),
      email: `${unique('buyer')}@example.com`,
    })),
  );
}

/**
 * What must hold in the database whatever the moment of the crash: every order is whole (its
 * cart's lines, a payment of its total, its PLACED event, its order.created event in the outbox,
 * its cart COMPLETED and pointing at it), a cart without an order is still ACTIVE, order numbers
 * run from #1001 without gaps, and every unit of stock is available, or committed to an order line.
 */
async function expectNothingHalfWritten(
  store: TestStore,
  product: TestProduct,
  stock: number,
  bought: readonly Purchase[],
): Promise<Map<string, string>> {
  const storeId = keyOf(store.id);
  const orders = await owner.order.findMany({
    where: { storeId },
    include: { lines: true, payments: true, events: true },
    orderBy: { number: 'asc' },
  });
  expect(orders.map((order) => order.number)).toEqual(orders.map((_, index) => 1001 + index));
  const orderOfCart = new Map<string, string>();
  for (const order of orders) {
    const purchase = bought.find((candidate) => candidate.cartId === order.cartId);
    expect(purchase, `order #${order.number} is for a cart of this test`).toBeDefined();
    orderOfCart.set(order.cartId as string, order.id);
    expect(order.idempotencyKey).toBe(purchase?.key);
    const sorted = (lines: { variantId: string | null; quantity: number }[]) =>
      lines.map((line) => `${line.variantId}×${line.quantity}`).sort();
    expect(sorted(order.lines)).toEqual(
      sorted(purchase?.lines.map((line) => ({ variantId: keyOf(line.variantId), quantity: line.quantity })) ?? []),
    );
    expect(order.payments.map((payment) => payment.amount.toFixed(2))).toEqual([order.total.toFixed(2)]);
    expect(order.events.map((event) => event.type)).toEqual(['PLACED']);
  }
  const created = await owner.outboxEvent.findMany({ where: { storeId, type: 'order.created' } });
  expect(created.map((event) => event.aggregateId).sort()).toEqual(orders.map((order) => order.id).sort());
  const carts = await owner.cart.findMany({ where: { id: { in: bought.map((purchase) => purchase.cartId) } } });
  expect(carts).toHaveLength(bought.length);
  for (const cart of carts) {
    const orderId = orderOfCart.get(cart.id) ?? null;
    expect({ status: cart.status, orderId: cart.orderId }).toEqual({
      status: orderId ? 'COMPLETED' : 'ACTIVE',
      orderId,
    });
  }
  for (const variant of product.variants) {
    const variantId = keyOf(variant.id);
    const ordered = orders
      .flatMap((order) => order.lines)
      .filter((line) => line.variantId === variantId)
      .reduce((sum, line) => sum + line.quantity, 0);
    expect(await stockOf(owner, variant.id)).toEqual({ available: stock - ordered, committed: ordered });
    const moved = await owner.stockMovement.aggregate({ where: { variantId, reason: 'order' }, _sum: { delta: true } });
    expect((moved._sum.delta ?? 0) + ordered).toBe(0);
  }
  return orderOfCart;
}

describe('a crash in the middle of checkouts', () => {
  it('killed while its checkouts are open transactions (carts and stock locked, a discount code used): nothing stays, and the retried checkouts place their orders', {
    timeout: 120_000,
  }, async () => {
    const store = await createStore(graph.client);
    await insertShippingZone(owner, store, ['DE'], [{ name: 'Standard', price: '4.90' }]);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '10.00', stock: 20 }]));
    // Codes are taken in id order: the percentage code first (a write the crash must undo), then
    // free shipping, whose row this test holds locked so that the checkouts stop right there.
    const percent = await owner.discountCode.create({
      data: {
        id: `00000000${randomUUID().slice(8)}`,
        storeId: keyOf(store.id),
        code: 'TENOFF',
        type: 'PERCENTAGE',
        value: '10',
      },
    });
    const freeShipping = await owner.discountCode.create({
      data: {
        id: `ffffffff${randomUUID().slice(8)}`,
        storeId: keyOf(store.id),
        code: 'SHIPFREE',
        type: 'FREE_SHIPPING',
      },
    });
    const bought = await purchases(
      store,
      Array.from({ length: 6 }, () => [{ variantId: product.variants[0]!.id, quantity: 2 }]),
    );
    for (const purchase of bought) {
      const data = await graph.client.data(
        CART_CODES,
        { cartId: purchase.cartId, codes: ['TENOFF', 'SHIPFREE'] },
        { store: store.slug },
      );
      expect(data.cartDiscountCodesUpdate.cart.discountCodes).toEqual([
        { code: 'TENOFF', applicable: true, reason: null },
        { code: 'SHIPFREE', applicable: true, reason: null },
      ]);
    }
    const crashing = await startCrashingGraph();
    const client = new GraphClient(crashing.url);
    const release = await holdRowLocks(
      Prisma.sql`SELECT 1 FROM "DiscountCode" WHERE "id" = ${freeShipping.id}::uuid FOR UPDATE`,
    );

    const outcomes = bought.map((purchase) =>
      checkoutOutcome(client, store, purchase.cartId, purchase.key, purchase.email),
    );
    // The first checkout has used TENOFF and waits for SHIPFREE; the next ones hold their carts and wait for the stock.
    await eventually(
      `${IN_FLIGHT} checkouts waiting inside their transactions`,
      async () => (await crashingSessions('waiting for a lock')) === IN_FLIGHT,
    );
    expect(await crashingSessions('waiting to use a discount code')).toBe(1);

    await crashing.kill();
    // A session waiting for a lock learns that its client is gone once it has the lock.
    await release();
    await sessionsEnded();

    expect(await Promise.all(outcomes)).toEqual(bought.map(() => ({ answered: false })));
    await expectNothingHalfWritten(store, product, 20, bought);
    expect(await owner.order.count({ where: { storeId: keyOf(store.id) } })).toBe(0);
    expect(
      (await owner.discountCode.findMany({ where: { storeId: keyOf(store.id) }, orderBy: { code: 'asc' } })).map(
        (code) => [code.code, code.usedCount],
      ),
    ).toEqual([
      ['SHIPFREE', 0],
      ['TENOFF', 0],
    ]);
    expect(
      await owner.discountCodeUsage.count({ where: { discountCodeId: { in: [percent.id, freeShipping.id] } } }),
    ).toBe(0);

    // The buyers retry, with the same keys, against the graph that is up.
    const retried = await Promise.all(
      bought.map((purchase) => checkoutOutcome(graph.client, store, purchase.cartId, purchase.key, purchase.email)),
    );
    expect(retried.map((outcome) => outcome.answered && outcome.codes)).toEqual(bought.map(() => []));
    expect(retried.map((outcome) => (outcome.answered ? outcome.order?.number : null)).sort()).toEqual([
      '#1001',
      '#1002',
      '#1003',
      '#1004',
      '#1005',
      '#1006',
    ]);
    await expectNothingHalfWritten(store, product, 20, bought);
    expect(await stockOf(owner, product.variants[0]!.id)).toEqual({ available: 8, committed: 12 });
    expect(
      (await owner.discountCode.findMany({ where: { storeId: keyOf(store.id) } })).map((code) => code.usedCount),
    ).toEqual([6, 6]);
  });

  it('killed after sending an order statement with its COMMIT: the order commits whole, unbeknown to its buyer, and the retry answers with it', {
    timeout: 120_000,
  }, async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '7.50', stock: 10 }]));
    const [warmUp, unseen, waiting] = await purchases(
      store,
      [1, 2, 3].map((quantity) => [{ variantId: product.variants[0]!.id, quantity }]),
    );
    // One connection, so that the next checkout finds the order statement prepared by the first.
    const crashing = await startCrashingGraph({ DATABASE_POOL_SIZE: '1' });
    const client = new GraphClient(crashing.url);
    expect(await checkoutOutcome(client, store, warmUp!.cartId, warmUp!.key, warmUp!.email)).toMatchObject({
      answered: true,
      order: { number: '#1001' },
    });
    const release = await holdRowLocks(
      Prisma.sql`SELECT 1 FROM "StoreCounter" WHERE "storeId" = ${keyOf(store.id)}::uuid FOR UPDATE`,
    );

    const outcomes = [checkoutOutcome(client, store, unseen!.cartId, unseen!.key, unseen!.email)];
    await eventually(
      'the order statement and its COMMIT to wait for the counter',
      async () => (await crashingSessions('waiting to write the order, its COMMIT sent')) === 1,
    );
    // Another checkout, waiting in the process for the one connection.
    outcomes.push(checkoutOutcome(client, store, waiting!.cartId, waiting!.key, waiting!.email));
    await crashing.kill();
    await release();
    await sessionsEnded();

    expect(await Promise.all(outcomes)).toEqual([{ answered: false }, { answered: false }]);
    const committed = await expectNothingHalfWritten(store, product, 10, [warmUp!, unseen!, waiting!]);
    expect([...committed.keys()]).toEqual([warmUp!.cartId, unseen!.cartId]);

    const retried = await Promise.all(
      [unseen!, waiting!].map((purchase) =>
        checkoutOutcome(graph.client, store, purchase.cartId, purchase.key, purchase.email),
      ),
    );
    expect(retried).toEqual([
      { answered: true, order: expect.objectContaining({ number: '#1002' }), codes: [] },
      { answered: true, order: expect.objectContaining({ number: '#1003' }), codes: [] },
    ]);
    expect(keyOf((retried[0] as { order: { id: string } }).order.id)).toBe(committed.get(unseen!.cartId));
    await expectNothingHalfWritten(store, product, 10, [warmUp!, unseen!, waiting!]);
    expect(await stockOf(owner, product.variants[0]!.id)).toEqual({ available: 4, committed: 6 });
  });

  it('killed at a moment of a busy run: every order is whole, no unit is lost, and retries with the same keys place each cart’s order once', {
    timeout: 120_000,
  }, async () => {
    const store = await createStore(graph.client);
    const STOCK = 25;
    const product = await createProduct(
      graph.client,
      store,
      stockedProductInput([
        { price: '3.00', stock: STOCK, size: 'S' },
        { price: '4.00', stock: STOCK, size: 'M' },
        { price: '5.00', stock: STOCK, size: 'L' },
      ]),
    );
    // 40 carts of 1 to 3 lines, 1 or 2 units each: more than the stock, so some checkouts are refused.
    const carts = Array.from({ length: 40 }, (_, index) =>
      product.variants
        .filter((_, variant) => variant === index % 3 || (index + variant) % 4 === 0)
        .map((variant, line) => ({ variantId: variant.id, quantity: 1 + ((index + line) % 2) })),
    );
    const bought = await purchases(store, carts);
    const crashing = await startCrashingGraph();
    const client = new GraphClient(crashing.url);

    const outcomes = bought.map((purchase) =>
      checkoutOutcome(client, store, purchase.cartId, purchase.key, purchase.email),
    );
    await eventually(
      'a few orders to commit',
      async () => (await owner.order.count({ where: { storeId: keyOf(store.id) } })) >= 3,
    );
    await crashing.kill();
    await sessionsEnded();

    const answered = await Promise.all(outcomes);
    expect(answered.filter((outcome) => !outcome.answered).length, 'checkouts the crash cut off').toBeGreaterThan(0);
    const before = await expectNothingHalfWritten(store, product, STOCK, bought);
    // An answer a buyer got before the crash is true.
    for (const [index, outcome] of answered.entries()) {
      if (outcome.answered && outcome.order) expect(before.get(bought[index]!.cartId)).toBe(keyOf(outcome.order.id));
      if (outcome.answered && !outcome.order) expect(new Set(outcome.codes)).toEqual(new Set(['INSUFFICIENT_STOCK']));
    }

    const retried = await Promise.all(
      bought.map((purchase) => checkoutOutcome(graph.client, store, purchase.cartId, purchase.key, purchase.email)),
    );
    const after = await expectNothingHalfWritten(store, product, STOCK, bought);
    for (const [index, outcome] of retried.entries()) {
      const cartId = bought[index]!.cartId;
      expect(outcome.answered).toBe(true);
      if (!outcome.answered) continue;
      // A cart whose order committed before the crash gets that order again; the others are placed now, or refused for stock.
      if (before.has(cartId)) expect(outcome.order && keyOf(outcome.order.id)).toBe(before.get(cartId));
      if (outcome.order) expect(after.get(cartId)).toBe(keyOf(outcome.order.id));
      else expect(new Set(outcome.codes)).toEqual(new Set(['INSUFFICIENT_STOCK']));
    }
    expect(after.size).toBe(retried.filter((outcome) => outcome.answered && outcome.order).length);
    expect(after.size).toBeGreaterThan(before.size);
  });
});

describe('a checkout that waits too long', () => {
  it('a checkout that waits too long for a locked row rolls back and is told TRY_AGAIN; retried with its key, it places the order', {
    timeout: 120_000,
  }, async () => {
    const store = await createStore(graph.client);
    const product = await createProduct(graph.client, store, stockedProductInput([{ price: '12.00', stock: 5 }]));
    const [purchase] = await purchases(store, [[{ variantId: product.variants[0]!.id, quantity: 2 }]]);
    const slow = await startCrashingGraph({ CHECKOUT_TIMEOUT_SECONDS: '1' });
    const client = new GraphClient(slow.url);
    // A stock count, say, holds the variant's stock rows.
    const release = await holdRowLocks(
      Prisma.sql`SELECT 1 FROM "InventoryLevel" WHERE "variantId" = ${keyOf(product.variants[0]!.id)}::uuid FOR UPDATE`,
    );

    const busy = await checkout(client, store, purchase!.cartId, { key: purchase!.key, email: purchase!.email });
    await release();

    expect(busy.data).toBeNull();
    expect(busy.errors).toEqual([
      {
        message: expect.stringContaining('Try again'),
        path: ['checkoutComplete'],
        extensions: { code: 'TRY_AGAIN', serviceName: 'order' },
      },
    ]);
    await expectNothingHalfWritten(store, product, 5, [purchase!]);
    expect(await owner.order.count({ where: { storeId: keyOf(store.id) } })).toBe(0);

    const retried = await checkoutOutcome(graph.client, store, purchase!.cartId, purchase!.key, purchase!.email);
    expect(retried).toEqual({ answered: true, order: expect.objectContaining({ number: '#1001' }), codes: [] });
    expect(await stockOf(owner, product.variants[0]!.id)).toEqual({ available: 3, committed: 2 });
  });
});
