import type pg from 'pg';

/** The shape of a store's order history, as seedBenchOrders() draws it. */
export interface OrderHistory {
  orders: number;
  /** Days back from now the history spans; recent days have more orders (a growing store). */
  days: number;
  /** Share of orders by signed-in customers; the rest are guests, counted by email. */
  customerShare: number;
  /** Registered customers, and guest emails, that the orders are drawn from. */
  customers: number;
  guests: number;
  /** Shares of orders discounted (10% off every line), cancelled, and partially refunded (one unit). */
  discountedShare: number;
  cancelledShare: number;
  refundedShare: number;
}

/** The usual history of `orders` orders over two years: about three orders per buyer. */
export function orderHistory(orders: number): OrderHistory {
  return {
    orders,
    days: 730,
    customerShare: 0.6,
    customers: Math.max(10, Math.round(orders / 5)),
    guests: Math.max(10, Math.round(orders / 7)),
    discountedShare: 0.15,
    cancelledShare: 0.03,
    refundedShare: 0.05,
  };
}

/**
 * Seeds a store that has products (seedBenchProducts) with customers and an order history, in bulk
 * SQL on the owner's connection (in its transaction): orders of 1 to 4 lines, popular products sold
 * more, 19% tax included, shipping under 100, and the figures a checkout writes (subtotal, discounts,
 * totals, refunds and their lines) consistent, as the analytics rebuild reads them. The store's carts
 * created and refused checkouts, which only events record, are written to its daily funnel as the
 * analytics consumer would have counted them. Returns the number of order lines.
 */
export async function seedBenchOrders(client: pg.ClientBase, storeId: string, history: OrderHistory): Promise<number> {
  const run = (text: string, values: unknown[] = []) => client.query(text, values);
  await run(`SELECT setseed(0.42)`);
  await run(
    `INSERT INTO "Customer" (id, "storeId", email, "firstName", "lastName", "createdAt", "updatedAt")
     SELECT gen_random_uuid(), $1, 'customer-' || k || '@example.com', 'Buyer', 'Number ' || k,
            now() - interval '800 days', now() - interval '800 days'
     FROM generate_series(1, $2::int) AS k`,
    [storeId, history.customers],
  );
  await run(
    `CREATE TEMP TABLE bench_customers ON COMMIT DROP AS
     SELECT row_number() OVER (ORDER BY c.id)::int AS k, c.id, c.email FROM "Customer" c WHERE c."storeId" = $1`,
    [storeId],
  );
  await run(`CREATE UNIQUE INDEX ON bench_customers (k)`);
  await run(
    `CREATE TEMP TABLE bench_variants ON COMMIT DROP AS
     SELECT row_number() OVER (ORDER BY v."productId", v.position)::int AS k, v.id, v."productId" AS product_id,
            p.title, v.title AS variant_title, v.sku, v.price
     FROM "ProductVariant" v JOIN "Product" p ON p."storeId" = v."storeId" AND p.id = v."productId"
     WHERE v."storeId" = $1`,
    [storeId],
  );
  await run(`CREATE UNIQUE INDEX ON bench_variants (k)`);
  const [variants] = (await run(`SELECT count(*)::int AS n FROM bench_variants`)).rows as { n: number }[];
  if (!variants?.n) throw new Error('The store has no variants to sell: seed its products first.');

  // Each order's draw: when, who, how many lines, and what happens to it.
  await run(
    `CREATE TEMP TABLE bench_orders ON COMMIT DROP AS
     SELECT n, gen_random_uuid() AS id,
            now() - make_interval(secs => $2::int * 86400 * (1 - sqrt(random()))) AS placed_at,
            CASE WHEN random() < $3::float8 THEN 1 + floor(random() * $4::int)::int END AS customer_k,
            1 + floor(random() * $5::int)::int AS guest_k,
            1 + floor(random() * random() * 4)::int AS line_count,
            random() < $6::float8 AS discounted,
            random() < $7::float8 AS cancelled,
            random() < $8::float8 AS refunded
     FROM generate_series(1, $1::int) AS n`,
    [
      history.orders,
      history.days,
      history.customerShare,
      history.customers,
      history.guests,
      history.discountedShare,
      history.cancelledShare,
      history.refundedShare,
    ],
  );
  // Lines: popular variants sell more (the square of a uniform draw leans to the first ones).
  await run(
    `CREATE TEMP TABLE bench_lines ON COMMIT DROP AS
     SELECT l.order_id, gen_random_uuid() AS id, l.position, v.id AS variant_id, v.product_id, v.title, v.variant_title, v.sku,
            l.quantity, v.price AS unit_price, v.price * l.quantity AS total_price,
            CASE WHEN o.discounted THEN round(v.price * l.quantity * 0.10, 2) ELSE 0 END AS discount_total,
            o.placed_at
     FROM (
       SELECT o.id AS order_id, i AS position, 1 + floor($1::int * power(random(), 2))::int AS variant_k,
              1 + floor(random() * random() * 3)::int AS quantity
       FROM bench_orders o CROSS JOIN LATERAL generate_series(1, o.line_count) AS i
     ) l
     JOIN bench_orders o ON o.id = l.order_id
     JOIN bench_variants v ON v.k = l.variant_k`,
    [variants.n],
  );
  // A partial refund gives back one unit of the order's first line, at what was paid for it.
  await run(
    `CREATE TEMP TABLE bench_refunds ON COMMIT DROP AS
     SELECT gen_random_uuid() AS id, l.order_id, l.id AS order_line_id,
            round((l.total_price - l.discount_total) / l.quantity, 2) AS amount, o.placed_at + interval '3 days' AS created_at
     FROM bench_lines l JOIN bench_orders o ON o.id = l.order_id
     WHERE l.position = 1 AND o.refunded AND NOT o.cancelled`,
  );
  await run(`CREATE UNIQUE INDEX ON bench_refunds (order_line_id)`);
  await run(
    `INSERT INTO "Order" (id, "storeId", number, "customerId", email, status, "paymentStatus", "fulfillmentStatus", "currencyCode",
       subtotal, "discountTotal", "shippingTotal", "taxTotal", total, "totalRefunded", "taxesIncluded", "discountCodes",
       "shippingRateName", "placedAt", "confirmedAt", "cancelledAt", "cancelReason", "createdAt", "updatedAt")
     SELECT o.id, $1, 1000 + o.n, c.id,
            -- Some guests type their email differently each time: analytics counts them as one buyer.
            coalesce(c.email, CASE WHEN o.n % 5 = 0 THEN 'Guest-' ELSE 'guest-' END || o.guest_k || '@Example.com'),
            (CASE WHEN o.cancelled THEN 'CANCELLED' WHEN o.placed_at > now() - interval '3 days' THEN 'CONFIRMED' ELSE 'COMPLETED' END)::"OrderStatus",
            (CASE WHEN o.cancelled THEN 'REFUNDED' WHEN r.id IS NOT NULL THEN 'PARTIALLY_REFUNDED' ELSE 'PAID' END)::"PaymentStatus",
            (CASE WHEN o.cancelled OR o.placed_at > now() - interval '3 days' THEN 'UNFULFILLED' ELSE 'FULFILLED' END)::"FulfillmentStatus",
            s."currencyCode", t.subtotal, t.discounts, t.shipping,
            round((t.subtotal - t.discounts + t.shipping) * 19 / 119, 2), t.subtotal - t.discounts + t.shipping,
            coalesce(r.amount, 0), true, CASE WHEN o.discounted THEN ARRAY['SAVE10'] ELSE ARRAY[]::text[] END,
            'Standard', o.placed_at, o.placed_at, CASE WHEN o.cancelled THEN o.placed_at + interval '1 hour' END,
            CASE WHEN o.cancelled THEN 'customer changed their mind' END, o.placed_at, o.placed_at
     FROM bench_orders o
     JOIN (
       SELECT order_id, sum(total_price) AS subtotal, sum(discount_total) AS discounts,
              CASE WHEN sum(total_price) - sum(discount_total) >= 100 THEN 0 ELSE 4.90 END AS shipping
       FROM bench_lines GROUP BY order_id
     ) t ON t.order_id = o.id
     CROSS JOIN (SELECT "currencyCode" FROM "Store" WHERE id = $1) s
     LEFT JOIN bench_customers c ON c.k = o.customer_k
     LEFT JOIN bench_refunds r ON r.order_id = o.id`,
    [storeId],
  );
  const lines = await run(
    `INSERT INTO "OrderLine" (id, "storeId", "orderId", "variantId", "productId", title, "variantTitle", sku, quantity,
       "unitPrice", "totalPrice", "discountTotal", "taxTotal", "fulfilledQuantity", "refundedQuantity", "createdAt")
     SELECT l.id, $1, l.order_id, l.variant_id, l.product_id, l.title, l.variant_title, l.sku, l.quantity,
            l.unit_price, l.total_price, l.discount_total, round((l.total_price - l.discount_total) * 19 / 119, 2),
            CASE WHEN o.cancelled OR o.placed_at > now() - interval '3 days' THEN 0 ELSE l.quantity END,
            CASE WHEN r.id IS NULL THEN 0 ELSE 1 END, l.placed_at
     FROM bench_lines l JOIN bench_orders o ON o.id = l.order_id LEFT JOIN bench_refunds r ON r.order_line_id = l.id`,
    [storeId],
  );
  await run(
    `INSERT INTO "Refund" (id, "storeId", "orderId", amount, reason, "createdAt")
     SELECT id, $1, order_id, amount, 'one item arrived damaged', created_at FROM bench_refunds`,
    [storeId],
  );
  await run(
    `INSERT INTO "RefundLine" ("storeId", "refundId", "orderLineId", quantity, amount)
     SELECT $1, id, order_line_id, 1, amount FROM bench_refunds`,
    [storeId],
  );
  await run(`UPDATE "StoreCounter" SET "lastOrderNumber" = 1000 + $2::int WHERE "storeId" = $1`, [
    storeId,
    history.orders,
  ]);
  // The funnel: about 2.5 carts per order placed and a refused checkout per dozen orders, per local day.
  await run(
    `INSERT INTO "AnalyticsDailySales" ("storeId", day, "cartsCreated", "checkoutsFailed")
     SELECT $1, (o.placed_at AT TIME ZONE s.timezone)::date, round(count(*) * 2.5)::int, round(count(*) / 12.0)::int
     FROM bench_orders o CROSS JOIN (SELECT timezone FROM "Store" WHERE id = $1) s
     GROUP BY 2`,
    [storeId],
  );
  return lines.rowCount ?? 0;
}
