// A property of the read models: whatever a store's history (orders around midnight and daylight
// saving changes, discounts, partial refunds by amount and by line, cancellations, stores in
// several currencies and time zones), every figure analytics answers equals what SQL computes
// directly over the store's orders. Histories are random but seeded: a failure names its seed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma, type PrismaClient } from '@commerce/database';
import { money, toGlobalId } from '@commerce/graphql-kit';
import {
  analyticsCaughtUp,
  createStore,
  insertOrder,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  unique,
  type OrderLineSeed,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';

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

/** mulberry32: a small seeded generator, so that a failing history can be replayed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}
type Random = ReturnType<typeof generator>;

const STORES = [
  { currencyCode: 'EUR', timezone: 'Europe/Berlin' }, // summer time from 29 March
  { currencyCode: 'USD', timezone: 'America/New_York' }, // daylight saving from 8 March
  { currencyCode: 'JPY', timezone: 'Australia/Sydney' }, // standard time from 5 April
  { currencyCode: 'EUR', timezone: 'Asia/Kolkata' }, // half-hour offset, no DST
] as const;
const HISTORY_START = Date.parse('2026-03-01T00:00:00.000Z');
const HISTORY_DAYS = 40;
const EMAILS = ['ada@example.com', 'Ada@Example.com', 'bob@example.com', 'cy@example.com', 'dee@example.com'];

/** An instant of the history, half of them a millisecond either side of a half hour (every zone's midnight is one). */
function instant(random: Random): Date {
  const day = HISTORY_START + random.int(0, HISTORY_DAYS - 1) * 86_400_000;
  if (random.next() < 0.5) return new Date(day + random.int(0, 86_399_999));
  return new Date(day + random.int(0, 47) * 1_800_000 + random.pick([-1, 0, 1]));
}

function price(random: Random, currencyCode: string): string {
  return currencyCode === 'JPY' ? String(random.int(100, 5000)) : (random.int(100, 9999) / 100).toFixed(2);
}

async function mutate(store: TestStore, query: string, variables: Record<string, unknown>) {
  const response = await graph.client.execute(query, variables, { token: store.owner.accessToken, store: store.slug });
  expect(response.errors).toBeUndefined();
  const payload = Object.values(response.data ?? {})[0] as { userErrors: unknown[] };
  expect(payload.userErrors).toEqual([]);
}

const REFUND = `mutation ($input: RefundCreateInput!, $key: String!) { refundCreate(input: $input, idempotencyKey: $key) { userErrors { field message code } } }`;
const CANCEL = `mutation ($input: OrderCancelInput!) { orderCancel(input: $input) { userErrors { field message code } } }`;

/** A random history of a store: orders seeded at chosen instants, refunds and cancellations through the API. */
async function randomHistory(random: Random, store: TestStore, currencyCode: string): Promise<void> {
  const products = [1, 2, 3].map(() => toGlobalId('Product', crypto.randomUUID()));
  const orders: { id: string; paid: boolean }[] = [];
  for (let index = 0; index < 10; index += 1) {
    const lines: OrderLineSeed[] = Array.from({ length: random.int(1, 3) }, () => {
      const unitPrice = price(random, currencyCode);
      const quantity = random.int(1, 4);
      const discount = random.next() < 0.3 ? new Prisma.Decimal(unitPrice).times(quantity).times(0.1) : null;
      return {
        title: 'Item',
        quantity,
        unitPrice,
        productId: random.pick(products),
        discountTotal: discount?.toDecimalPlaces(currencyCode === 'JPY' ? 0 : 2).toFixed(),
      };
    });
    const paid = random.next() < 0.7;
    const order = await insertOrder(owner, store, {
      email: random.pick(EMAILS),
      createdAt: instant(random),
      lines,
      shippingTotal: random.next() < 0.5 ? price(random, currencyCode) : undefined,
      taxTotal: random.next() < 0.5 ? price(random, currencyCode) : undefined,
      paid,
    });
    orders.push({ id: order.id, paid });
  }
  for (const order of orders) {
    const action = random.next();
    if (order.paid && action < 0.25) {
      const amount = currencyCode === 'JPY' ? String(random.int(1, 50)) : (random.int(1, 500) / 100).toFixed(2);
      await mutate(store, REFUND, { input: { orderId: order.id, amount, reason: 'goodwill' }, key: unique('refund') });
    } else if (order.paid && action < 0.5) {
      const [line] = await owner.orderLine.findMany({
        where: { orderId: keyOf(order.id) },
        orderBy: { createdAt: 'asc' },
      });
      if (!line) continue;
      await mutate(store, REFUND, {
        input: {
          orderId: order.id,
          lines: [{ orderLineId: toGlobalId('OrderLine', line.id), quantity: random.int(1, line.quantity) }],
          reason: 'returned',
        },
        key: unique('refund'),
      });
    }
    if (random.next() < 0.2)
      await mutate(store, CANCEL, { input: { orderId: order.id, reason: 'changed their mind' } });
  }
}

interface Span {
  from: string;
  to: string;
  interval: 'DAY' | 'WEEK' | 'MONTH';
}

function randomSpan(random: Random): Span {
  const from = instant(random);
  const to = new Date(from.getTime() + random.int(1, 30) * 86_400_000 + random.int(-3, 3) * 3_600_000);
  return { from: from.toISOString(), to: to.toISOString(), interval: random.pick(['DAY', 'WEEK', 'MONTH'] as const) };
}

/** A span from late February to early April in every zone: all of March (a month rollup) and days either side. */
function spanWithWholeMonth(random: Random): Span {
  const from = new Date(Date.parse('2026-02-26T00:00:00.000Z') + random.int(0, 60) * 3_600_000);
  const to = new Date(Date.parse('2026-04-02T00:00:00.000Z') + random.int(0, 72) * 3_600_000);
  return { from: from.toISOString(), to: to.toISOString(), interval: random.pick(['DAY', 'WEEK', 'MONTH'] as const) };
}

const QUERY = `query ($range: DateRangeInput!, $interval: AnalyticsInterval) { store { analytics(range: $range, interval: $interval) {
  sales {
    revenue { amount } ordersCount averageOrderValue { amount } grossSales { amount } discounts { amount } refunds { amount }
    netSales { amount } shipping { amount } tax { amount } total { amount }
    series { start revenue { amount } ordersCount netSales { amount } }
  }
  topProducts(first: 10, sortKey: UNITS) { product { id } unitsSold netSales { amount } ordersCount }
  customers { new returning averageLifetimeValue { amount } }
  conversion { orders }
} } }`;

type Row = Record<string, Prisma.Decimal | number | string | Date | null>;

/** The figures, computed straight from the orders with SQL. */
async function expected(store: TestStore, span: Span, currencyCode: string) {
  const storeId = keyOf(store.id);
  const unit = { DAY: 'day', WEEK: 'week', MONTH: 'month' }[span.interval];
  const amount = (value: unknown) => money(new Prisma.Decimal(String(value ?? 0)), currencyCode).amount;
  const inSpan = Prisma.sql`
    WITH z AS (SELECT "timezone" AS zone FROM "Store" WHERE "id" = ${storeId}::uuid),
    b AS (SELECT (${span.from}::timestamptz AT TIME ZONE zone)::date AS d0,
                 ((${span.to}::timestamptz - interval '1 microsecond') AT TIME ZONE zone)::date AS d1, zone FROM z),
    o AS (SELECT o.*, (o."placedAt" AT TIME ZONE b.zone)::date AS day FROM "Order" o, b
          WHERE o."storeId" = ${storeId}::uuid AND (o."placedAt" AT TIME ZONE b.zone)::date BETWEEN b.d0 AND b.d1)`;
  const [totals] = await owner.$queryRaw<Row[]>`${inSpan}
    SELECT sum("subtotal") AS gross, sum("discountTotal") AS discounts, sum("totalRefunded") AS refunds, sum("shippingTotal") AS shipping,
           sum("taxTotal") AS tax, sum("total") AS total, count(*)::int AS orders
    FROM o WHERE "status" <> 'CANCELLED'`;
  const [placed] = await owner.$queryRaw<Row[]>`${inSpan} SELECT count(*)::int AS orders FROM o`;
  const series = await owner.$queryRaw<Row[]>`${inSpan},
    points AS (SELECT generate_series(date_trunc(${unit}, d0::timestamp), date_trunc(${unit}, d1::timestamp), ('1 ' || ${unit})::interval) AS p FROM b)
    SELECT points.p AT TIME ZONE b.zone AS start, sum(o."total" - o."totalRefunded") AS revenue, count(o."id")::int AS orders,
           sum(o."subtotal" - o."discountTotal" - o."totalRefunded") AS net
    FROM points CROSS JOIN b LEFT JOIN o ON date_trunc(${unit}, o.day::timestamp) = points.p AND o."status" <> 'CANCELLED'
    GROUP BY points.p, b.zone ORDER BY points.p`;
  const products = await owner.$queryRaw<Row[]>`${inSpan}
    SELECT l."productId", sum(l."quantity" - l."refundedQuantity")::int AS units,
           sum(l."totalPrice" - l."discountTotal" - coalesce((SELECT sum(r."amount") FROM "RefundLine" r WHERE r."storeId" = l."storeId" AND r."orderLineId" = l."id"), 0)) AS net,
           count(DISTINCT o."id")::int AS orders
    FROM o JOIN "OrderLine" l ON l."storeId" = o."storeId" AND l."orderId" = o."id"
    WHERE o."status" <> 'CANCELLED'
    GROUP BY l."productId"`;
  const [buyers] = await owner.$queryRaw<Row[]>`${inSpan},
    everyone AS (
      SELECT lower("email") AS buyer, min(("placedAt" AT TIME ZONE (SELECT zone FROM b))::date) AS first_day,
             sum("subtotal" - "discountTotal" - "totalRefunded") FILTER (WHERE "status" <> 'CANCELLED') AS net
      FROM "Order" WHERE "storeId" = ${storeId}::uuid GROUP BY 1
    ),
    active AS (SELECT DISTINCT lower("email") AS buyer FROM o WHERE "status" <> 'CANCELLED')
    SELECT count(*) FILTER (WHERE e.first_day >= (SELECT d0 FROM b))::int AS "new",
           count(*) FILTER (WHERE e.first_day < (SELECT d0 FROM b))::int AS "returning",
           avg(coalesce(e.net, 0)) AS ltv
    FROM active JOIN everyone e ON e.buyer = active.buyer`;
  const revenue = new Prisma.Decimal(String(totals?.total ?? 0)).minus(String(totals?.refunds ?? 0));
  const orders = Number(totals?.orders ?? 0);
  const gross = new Prisma.Decimal(String(totals?.gross ?? 0));
  return {
    sales: {
      revenue: { amount: amount(revenue) },
      ordersCount: orders,
      averageOrderValue: { amount: amount(orders === 0 ? 0 : revenue.dividedBy(orders)) },
      grossSales: { amount: amount(gross) },
      discounts: { amount: amount(totals?.discounts) },
      refunds: { amount: amount(totals?.refunds) },
      netSales: { amount: amount(gross.minus(String(totals?.discounts ?? 0)).minus(String(totals?.refunds ?? 0))) },
      shipping: { amount: amount(totals?.shipping) },
      tax: { amount: amount(totals?.tax) },
      total: { amount: amount(totals?.total) },
      series: series.map((point) => ({
        start: (point.start as Date).toISOString(),
        revenue: { amount: amount(point.revenue) },
        ordersCount: Number(point.orders),
        netSales: { amount: amount(point.net) },
      })),
    },
    products: products
      .map((product) => ({
        product: { id: toGlobalId('Product', String(product.productId)) },
        unitsSold: Number(product.units),
        netSales: { amount: amount(product.net) },
        ordersCount: Number(product.orders),
      }))
      .sort((a, b) => a.product.id.localeCompare(b.product.id)),
    customers: {
      new: Number(buyers?.new ?? 0),
      returning: Number(buyers?.returning ?? 0),
      averageLifetimeValue: { amount: amount(buyers?.ltv) },
    },
    conversion: { orders: Number(placed?.orders ?? 0) },
  };
}

describe('analytics against the orders', () => {
  it('every figure equals SQL over the orders, for random histories and spans', async () => {
    const seed = Number(process.env.ANALYTICS_PROPERTY_SEED ?? Date.now() % 1_000_000);
    const random = generator(seed);
    // Spans with sales, so that the property is not held by empty answers alone.
    let withSales = 0;
    for (const settings of STORES) {
      const store = await createStore(graph.client, { currencyCode: settings.currencyCode });
      await owner.store.update({ where: { id: keyOf(store.id) }, data: { timezone: settings.timezone } });
      await randomHistory(random, store, settings.currencyCode);
      await analyticsCaughtUp(owner, store, 60_000);
      for (let check = 0; check < 5; check += 1) {
        const span = check === 4 ? spanWithWholeMonth(random) : randomSpan(random);
        const response = await graph.client.execute(
          QUERY,
          { range: { from: span.from, to: span.to }, interval: span.interval },
          { token: store.owner.accessToken, store: store.slug },
        );
        const context = `seed ${seed}, ${settings.timezone} ${settings.currencyCode}, ${JSON.stringify(span)}`;
        expect(response.errors, context).toBeUndefined();
        const answer = response.data?.store.analytics;
        const want = await expected(store, span, settings.currencyCode);
        if (want.sales.ordersCount > 0) withSales += 1;
        expect(answer.sales, context).toEqual(want.sales);
        expect(
          [...answer.topProducts].sort((a: { product: { id: string } }, b: { product: { id: string } }) =>
            a.product.id.localeCompare(b.product.id),
          ),
          context,
        ).toEqual(want.products);
        expect(answer.customers, context).toEqual(want.customers);
        expect(answer.conversion, context).toEqual(want.conversion);
      }
    }
    expect(withSales, `seed ${seed}`).toBeGreaterThan(4);
  }, 120_000);
});
