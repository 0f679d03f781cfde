// The demo store that `pnpm start` seeds is what people try the API on first: its orders must be as
// checkout and the staff leave them, or the first refund or fulfilment tried on them misbehaves.
// It is seeded while every core is busy, as `pnpm start` on a CI runner or a laptop building
// something else is: the seed must finish there too, whole.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, Prisma, type PrismaClient } from '@commerce/database';
import { createIsolatedDatabase, saturateCpu } from '@commerce/testkit';
import { DEMO, seedDemo } from '../prisma/seed.js';

/** How long the seed's last insert waits for a lock the test holds. */
const SLOW_STATEMENT_MS = 6_000;

let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let owner: PrismaClient;
beforeAll(async () => {
  database = await createIsolatedDatabase();
  owner = openDatabase({ connectionString: database.url, poolSize: 2 }).prisma;
  // How slow a busy machine makes the seed varies from run to run; the lock makes one of its
  // statements wait SLOW_STATEMENT_MS every time, past the 5 s that used to fail the start.
  const load = await saturateCpu(2);
  const locker = new pg.Client({ connectionString: database.url });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE "StoreCounter" IN SHARE MODE');
  const released = new Promise((resolve) => setTimeout(resolve, SLOW_STATEMENT_MS)).then(() => locker.query('COMMIT'));
  try {
    expect(await seedDemo(owner)).toBe(true);
  } finally {
    await released;
    await locker.end();
    await load.stop();
  }
}, 600_000);
afterAll(async () => {
  await owner?.$disconnect();
  await database?.drop();
});

describe('the demo store', () => {
  it('is seeded once', async () => {
    expect(await seedDemo(owner)).toBe(false);
    expect(await owner.store.count({ where: { slug: DEMO.storeSlug } })).toBe(1);
  });

  it('is whole after a seed on a saturated machine', async () => {
    const counts = await Promise.all([
      owner.product.count({ where: { status: 'ACTIVE' } }),
      owner.productVariant.count(),
      owner.productImage.count(),
      owner.category.count(),
      owner.customer.count(),
      owner.order.count(),
      owner.shippingRate.count(),
    ]);
    expect(counts).toEqual([60, 180, 120, 6, 5, 30, 2]);
  });

  it('has a wishlist for the demo customer and followers counted as storeFollow counts them', async () => {
    const demo = await owner.customer.findFirstOrThrow({ where: { email: DEMO.customerEmail } });
    const wishlist = await owner.wishlist.findFirstOrThrow({
      where: { customerId: demo.id },
      include: { items: true },
    });
    expect(wishlist.items).toHaveLength(3);
    expect(wishlist.items.filter((item) => item.variantId !== null)).toHaveLength(1);
    const [store, follows] = await Promise.all([
      owner.storeFollowerCount.findFirstOrThrow(),
      owner.storeFollow.count(),
    ]);
    expect([store.followersCount, follows]).toEqual([2, 2]);
    expect((await owner.store.findFirstOrThrow({ where: { slug: DEMO.storeSlug } })).wishlistEnabled).toBe(true);
  });

  it('has a storefront product field specs.material with a value on every product', async () => {
    const store = await owner.store.findFirstOrThrow({ where: { slug: DEMO.storeSlug } });
    const definition = await owner.metafieldDefinition.findFirstOrThrow({
      where: { storeId: store.id, ownerType: 'PRODUCT', namespace: 'specs', key: 'material' },
    });
    expect([definition.type, definition.visibleToStorefront]).toEqual(['SINGLE_LINE_TEXT', true]);
    const products = await owner.product.count({ where: { storeId: store.id } });
    const values = await owner.metafield.findMany({ where: { storeId: store.id, definitionId: definition.id } });
    expect(values).toHaveLength(products);
    const linen = values.filter((value) => value.value === 'Linen');
    expect(linen.length).toBeGreaterThan(0);
    expect(linen.every((value) => value.searchValue === 'Linen')).toBe(true);
  });

  it('offers French, with every category and product title translated', async () => {
    const store = await owner.store.findFirstOrThrow({ where: { slug: DEMO.storeSlug } });
    expect(store.locales).toEqual(['fr']);
    const [categories, products, titles] = await Promise.all([
      owner.category.count(),
      owner.product.count(),
      owner.translation.groupBy({
        by: ['resourceType'],
        where: { locale: 'fr', key: { in: ['name', 'title'] } },
        _count: true,
      }),
    ]);
    const count = (type: string) => titles.find((row) => row.resourceType === type)?._count;
    expect([count('CATEGORY'), count('PRODUCT')]).toEqual([categories, products]);
  });

  it('has an enabled loyalty programme with two tiers', async () => {
    const store = await owner.store.findFirstOrThrow({ where: { slug: DEMO.storeSlug } });
    const program = await owner.loyaltyProgram.findUniqueOrThrow({ where: { storeId: store.id } });
    expect([program.enabled, program.pointsPerUnit.toFixed(), program.unitValue.toFixed(), program.tiers]).toEqual([
      true,
      '1',
      '0.01',
      [
        { name: 'Silver', minimumPoints: 100 },
        { name: 'Gold', minimumPoints: 500 },
      ],
    ]);
  });

  it('presents prices in a second currency, USD, at a rate with .99 endings', async () => {
    const store = await owner.store.findFirstOrThrow({ where: { slug: DEMO.storeSlug } });
    const currencies = await owner.storeCurrency.findMany({ where: { storeId: store.id } });
    expect(currencies.map((row) => [row.currencyCode, row.rate.toFixed(), row.rounding])).toEqual([
      ['USD', '1.08', 'ENDING_99'],
    ]);
  });

  it('has orders whose payments, shipments, timelines, stock and customer statistics agree with their statuses', async () => {
    const orders = await owner.order.findMany({
      include: {
        lines: true,
        payments: true,
        fulfillments: { include: { lines: true } },
        events: { orderBy: { createdAt: 'asc' } },
      },
      orderBy: { number: 'asc' },
    });
    expect(orders.map((order) => order.number)).toEqual(Array.from({ length: 30 }, (_, index) => 1001 + index));
    expect((await owner.storeCounter.findFirstOrThrow()).lastOrderNumber).toBe(1030);
    for (const order of orders) {
      const delivered = order.status === 'DELIVERED';
      // Paid orders captured their total (refunds draw on it); pending ones nothing yet.
      expect(
        order.payments.map((payment) => [payment.status, payment.amount.toFixed(2), payment.capturedAmount.toFixed(2)]),
      ).toEqual([
        [delivered ? 'PAID' : 'PENDING', order.total.toFixed(2), delivered ? order.total.toFixed(2) : '0.00'],
      ]);
      expect(order.paymentStatus).toBe(delivered ? 'PAID' : 'PENDING');
      expect(order.events.map((event) => event.type)).toEqual(
        delivered ? ['PLACED', 'CONFIRMED', 'FULFILLED', 'DELIVERED'] : ['PLACED'],
      );
      for (const line of order.lines) {
        expect(line.allocations).toEqual(
          delivered ? [] : [{ locationId: expect.any(String), quantity: line.quantity }],
        );
        expect(line.fulfilledQuantity).toBe(delivered ? line.quantity : 0);
      }
      expect(order.fulfillments.flatMap((fulfillment) => fulfillment.lines.map((line) => line.quantity))).toEqual(
        delivered ? order.lines.map((line) => line.quantity) : [],
      );
    }
    // Units of orders not yet shipped are committed, and only those.
    const open = orders.filter((order) => order.fulfillmentStatus === 'UNFULFILLED').flatMap((order) => order.lines);
    const levels = await owner.inventoryLevel.findMany();
    for (const level of levels) {
      const ordered = open
        .filter((line) => line.variantId === level.variantId)
        .reduce((sum, line) => sum + line.quantity, 0);
      expect({ variantId: level.variantId, committed: level.committed, negative: level.available < 0 }).toEqual({
        variantId: level.variantId,
        committed: ordered,
        negative: false,
      });
    }
    expect((await owner.stockMovement.findMany()).reduce((sum, movement) => sum - movement.delta, 0)).toBe(
      open.reduce((sum, line) => sum + line.quantity, 0),
    );
    for (const stats of await owner.customerOrderStats.findMany()) {
      const theirs = orders.filter((order) => order.customerId === stats.customerId);
      expect([stats.ordersCount, stats.totalSpent.toFixed(2)]).toEqual([
        theirs.length,
        theirs.reduce((sum, order) => sum.plus(order.total), new Prisma.Decimal(0)).toFixed(2),
      ]);
    }
  });

  it('has reviews whose verified marks and rating figures agree with its orders', async () => {
    const reviews = await owner.productReview.findMany({ orderBy: { createdAt: 'asc' } });
    expect(reviews.map((review) => [review.authorName, review.rating, review.verifiedBuyer])).toEqual([
      ['Ada L.', 5, true],
      ['Grace H.', 4, false],
      ['Alan T.', 3, false],
    ]);
    const [first] = reviews;
    const product = await owner.product.findFirstOrThrow({ where: { id: first?.productId } });
    expect([product.ratingCount, product.ratingSum, product.ratingCount5, product.ratingCount4]).toEqual([3, 12, 1, 1]);
    const bought = await owner.orderLine.count({
      where: { productId: product.id, order: { customerId: first?.customerId, paymentStatus: 'PAID' } },
    });
    expect(bought).toBeGreaterThan(0);
    expect(await owner.productAnswer.count()).toBe(1);
  });
});
