// Seeds the demo store (slug `demo`) that `pnpm start` serves: a staff login, categories, 60 active
// products with variants, images and stock, customers (one with a wishlist, two following the
// store), a loyalty programme, a month of orders (with their payments, shipments, timelines, committed stock and
// customer statistics) for analytics and order handling, reviews and a question on the first
// product, and a product custom field (specs.material) with a value on every product, so that the
// README's examples show them. The month of orders is in the analytics rollups from the start.
// Idempotent: a database that already has the demo store is left as it is.
// Run on its own with `pnpm db:seed` (DATABASE_URL, as the owner).
import { randomBytes, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { rebuildInTransaction } from '@commerce/analytics/read-models';
import { hashPassword } from '@commerce/auth';
import { openDatabase, Prisma, type PrismaClient } from '@commerce/database';
import { parseMetafieldValue } from '@commerce/metafields';

/** The demo logins the README states. */
export const DEMO = {
  storeSlug: 'demo',
  sellerEmail: 'owner@demo.shop',
  sellerPassword: 'demo-owner-password',
  customerEmail: 'ada@example.com',
  customerPassword: 'demo-customer-password',
} as const;

const CATEGORIES = ['Shirts', 'Trousers', 'Shoes', 'Bags', 'Hats', 'Accessories'];
const SINGULAR: Record<string, string> = {
  Shirts: 'Shirt',
  Trousers: 'Trousers',
  Shoes: 'Shoe',
  Bags: 'Bag',
  Hats: 'Hat',
  Accessories: 'Belt',
};
const ADJECTIVES = [
  'Classic',
  'Linen',
  'Organic',
  'Everyday',
  'Trail',
  'Merino',
  'Vintage',
  'Canvas',
  'Urban',
  'Summer',
];
// The demo store's second language: its categories, products and options in French.
const CATEGORIES_FR: Record<string, string> = {
  Shirts: 'Chemises',
  Trousers: 'Pantalons',
  Shoes: 'Chaussures',
  Bags: 'Sacs',
  Hats: 'Chapeaux',
  Accessories: 'Accessoires',
};
const SINGULAR_FR: Record<string, string> = {
  Shirts: 'Chemise',
  Trousers: 'Pantalon',
  Shoes: 'Chaussure',
  Bags: 'Sac',
  Hats: 'Chapeau',
  Accessories: 'Ceinture',
};
const ADJECTIVES_FR: Record<string, string> = {
  Classic: 'classique',
  Linen: 'en lin',
  Organic: 'bio',
  Everyday: 'de tous les jours',
  Trail: 'de randonnée',
  Merino: 'en mérinos',
  Vintage: 'vintage',
  Canvas: 'en toile',
  Urban: 'urbain',
  Summer: "d'été",
};
const COLOURS_FR: Record<string, string> = { Black: 'noir', Navy: 'bleu marine' };
const SIZES = ['S', 'M', 'L'];
const COLOURS = ['Black', 'Navy'];

// The seed is one transaction of a few dozen bulk statements. On a saturated machine (a CI runner,
// a laptop building something else) it gets a fraction of a core and took longer than Prisma's
// default 5 s for an interactive transaction, which failed `pnpm start` half-way. It is given
// minutes: waiting long for a connection or a slow statement is fine, failing the start is not.
const SEED_TRANSACTION = { maxWait: 60_000, timeout: 300_000 };

function handleOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Seeds the demo store unless it exists; returns whether it wrote anything. */
export async function seedDemo(prisma: PrismaClient): Promise<boolean> {
  if (await prisma.store.findUnique({ where: { slug: DEMO.storeSlug } })) return false;
  const storeId = randomUUID();
  const sellerId = randomUUID();
  const locationId = randomUUID();
  const [sellerHash, customerHash] = await Promise.all([
    hashPassword(DEMO.sellerPassword),
    hashPassword(DEMO.customerPassword),
  ]);

  await prisma.$transaction(async (tx) => {
    await tx.seller.create({
      data: { id: sellerId, email: DEMO.sellerEmail, passwordHash: sellerHash, name: 'Demo Owner' },
    });
    await tx.store.create({
      data: {
        id: storeId,
        name: 'Demo Outfitters',
        slug: DEMO.storeSlug,
        currencyCode: 'EUR',
        locale: 'en',
        locales: ['fr'],
        timezone: 'Europe/Berlin',
        description: 'Clothes and gear for every day.',
        wishlistEnabled: true,
        reviewsEnabled: true,
      },
    });
    await tx.staffMember.create({ data: { storeId, sellerId, email: DEMO.sellerEmail, role: 'OWNER' } });
    // A second currency for storefronts that send X-Currency: USD, with prices ending in .99.
    await tx.storeCurrency.create({
      data: { storeId, currencyCode: 'USD', rate: new Prisma.Decimal('1.08'), rounding: 'ENDING_99' },
    });
    await tx.inventoryLocation.create({ data: { id: locationId, storeId, name: 'Main warehouse', isDefault: true } });
    const zone = await tx.shippingZone.create({
      data: { storeId, name: 'Europe', countries: ['DE', 'AT', 'CH', 'FR', 'NL', 'BE', 'IT', 'ES'] },
    });
    await tx.shippingRate.createMany({
      data: [
        { storeId, zoneId: zone.id, name: 'Standard', price: new Prisma.Decimal('4.90') },
        {
          storeId,
          zoneId: zone.id,
          name: 'Free over 100',
          price: new Prisma.Decimal('0'),
          minOrderAmount: new Prisma.Decimal('100'),
        },
      ],
    });

    const categories = CATEGORIES.map((name, position) => ({
      id: randomUUID(),
      storeId,
      name,
      handle: handleOf(name),
      position,
    }));
    await tx.category.createMany({ data: categories });
    const translations: Prisma.TranslationCreateManyInput[] = categories.map((category) => ({
      storeId,
      resourceType: 'CATEGORY',
      resourceId: category.id,
      categoryId: category.id,
      locale: 'fr',
      key: 'name',
      value: CATEGORIES_FR[category.name] ?? category.name,
    }));

    const products: Prisma.ProductCreateManyInput[] = [];
    const options: Prisma.ProductOptionCreateManyInput[] = [];
    const variants: Prisma.ProductVariantCreateManyInput[] = [];
    const images: Prisma.ProductImageCreateManyInput[] = [];
    const links: Prisma.ProductCategoryCreateManyInput[] = [];
    const levels: Prisma.InventoryLevelCreateManyInput[] = [];
    for (let index = 0; index < 60; index++) {
      const category = categories[index % categories.length] as (typeof categories)[number];
      const title = `${ADJECTIVES[index % ADJECTIVES.length]} ${SINGULAR[category.name] ?? category.name} ${Math.floor(index / ADJECTIVES.length) + 1}`;
      const productId = randomUUID();
      const base = new Prisma.Decimal(19 + (index % 12) * 5).plus('0.95');
      const colour = COLOURS[index % COLOURS.length] as string;
      const skus = SIZES.map((size) => `DEMO-${String(index + 1).padStart(3, '0')}-${size}`);
      products.push({
        id: productId,
        storeId,
        title,
        handle: handleOf(title),
        description: `The ${title.toLowerCase()}: made to last, in ${colour.toLowerCase()}.`,
        status: 'ACTIVE',
        tags: [category.handle, colour.toLowerCase(), index % 3 === 0 ? 'new' : 'bestseller'],
        vendor: 'Demo Outfitters',
        productType: category.name,
        minPrice: base,
        maxPrice: base.plus(4),
        // What the catalog service keeps for search (the SKUs below, in their order).
        variantSkus: skus.join(' '),
        createdAt: new Date(Date.now() - (60 - index) * 3_600_000),
      });
      const adjective = ADJECTIVES[index % ADJECTIVES.length] as string;
      const titleFr = `${SINGULAR_FR[category.name]} ${ADJECTIVES_FR[adjective]} ${Math.floor(index / ADJECTIVES.length) + 1}`;
      const optionId = randomUUID();
      const french = (resourceType: string, resourceId: string, key: string, value: string) =>
        translations.push({ storeId, resourceType, resourceId, productId, locale: 'fr', key, value });
      french('PRODUCT', productId, 'title', titleFr);
      french('PRODUCT', productId, 'description', `${titleFr} : fait pour durer, en ${COLOURS_FR[colour]}.`);
      french('PRODUCT_OPTION', optionId, 'name', 'Taille');
      options.push({ id: optionId, storeId, productId, name: 'Size', position: 0, values: SIZES });
      SIZES.forEach((size, position) => {
        const variantId = randomUUID();
        variants.push({
          id: variantId,
          storeId,
          productId,
          title: size,
          sku: skus[position] ?? null,
          price: base.plus(position * 2),
          compareAtPrice: index % 4 === 0 ? base.plus(position * 2 + 10) : null,
          selectedOptions: [{ name: 'Size', value: size }],
          position,
        });
        levels.push({ storeId, variantId, locationId, available: (index * 7 + position * 3) % 40 });
      });
      for (let position = 0; position < 2; position++) {
        images.push({
          storeId,
          productId,
          url: `https://picsum.photos/seed/${handleOf(title)}-${position}/800/800`,
          altText: `${title}, view ${position + 1}`,
          position,
        });
      }
      links.push({ storeId, productId, categoryId: category.id });
    }
    await tx.product.createMany({ data: products });
    await tx.productOption.createMany({ data: options });
    await tx.productVariant.createMany({ data: variants });
    await tx.productImage.createMany({ data: images });
    await tx.productCategory.createMany({ data: links });
    await tx.translation.createMany({ data: translations });

    const people = [
      ['Ada', 'Lovelace'],
      ['Grace', 'Hopper'],
      ['Alan', 'Turing'],
      ['Katherine', 'Johnson'],
      ['Edsger', 'Dijkstra'],
    ] as const;
    const customers = people.map(([firstName, lastName], index) => ({
      id: randomUUID(),
      storeId,
      email: index === 0 ? DEMO.customerEmail : `${firstName.toLowerCase()}@example.com`,
      passwordHash: customerHash,
      firstName,
      lastName,
      emailVerifiedAt: new Date(),
      group: index === 0 ? ('VIP' as const) : ('REGULAR' as const),
    }));
    await tx.customer.createMany({ data: customers });

    // The demo customer saved two products and one size of a third, and follows the store with
    // Grace; the count is what storeFollow would have left.
    const demoCustomer = customers[0] as (typeof customers)[number];
    const wishlistId = randomBytes(32).toString('base64url');
    await tx.wishlist.create({ data: { id: wishlistId, storeId, customerId: demoCustomer.id } });
    await tx.wishlistItem.createMany({
      data: [0, 7, 12].map((index, position) => ({
        storeId,
        wishlistId,
        productId: products[index]?.id ?? '',
        variantId: position === 1 ? (variants[index * SIZES.length + 1]?.id ?? null) : null,
      })),
    });
    const followers = customers.slice(0, 2);
    await tx.storeFollow.createMany({ data: followers.map((customer) => ({ storeId, customerId: customer.id })) });
    await tx.storeFollowerCount.create({ data: { storeId, followersCount: followers.length } });

    await seedCustomFields(tx, storeId, products);

    // A loyalty programme, so that the README's Loyalty example has one to show.
    await tx.loyaltyProgram.create({
      data: {
        storeId,
        enabled: true,
        pointsPerUnit: new Prisma.Decimal('1'),
        unitValue: new Prisma.Decimal('0.01'),
        tiers: [
          { name: 'Silver', minimumPoints: 100 },
          { name: 'Gold', minimumPoints: 500 },
        ],
      },
    });

    // A month of orders so that analytics has something to show, as checkout and the staff would
    // have left them: the 25 oldest paid by card, shipped and delivered (their timelines say so),
    // the 5 newest waiting for a bank transfer, their units committed at the warehouse.
    const orders: Prisma.OrderCreateManyInput[] = [];
    const lines: Prisma.OrderLineCreateManyInput[] = [];
    const payments: Prisma.PaymentCreateManyInput[] = [];
    const transactions: Prisma.PaymentTransactionCreateManyInput[] = [];
    const fulfillments: Prisma.FulfillmentCreateManyInput[] = [];
    const fulfillmentLines: Prisma.FulfillmentLineCreateManyInput[] = [];
    const events: Prisma.OrderEventCreateManyInput[] = [];
    const movements: Prisma.StockMovementCreateManyInput[] = [];
    const stats = new Map<string, Prisma.CustomerOrderStatsCreateManyInput>();
    for (let index = 0; index < 30; index++) {
      const customer = customers[index % customers.length] as (typeof customers)[number];
      const variant = variants[(index * 5) % variants.length] as Prisma.ProductVariantCreateManyInput;
      const product = products.find((candidate) => candidate.id === variant.productId) as Prisma.ProductCreateManyInput;
      const level = levels.find(
        (candidate) => candidate.variantId === variant.id,
      ) as Prisma.InventoryLevelCreateManyInput;
      const delivered = index < 25;
      const quantity = (index % 3) + 1;
      const unitPrice = new Prisma.Decimal(variant.price as Prisma.Decimal);
      const subtotal = unitPrice.times(quantity);
      const shipping = new Prisma.Decimal('4.90');
      const total = subtotal.plus(shipping);
      const commission = total.times('0.03').toDecimalPlaces(2, Prisma.Decimal.ROUND_HALF_UP);
      const number = 1001 + index;
      const orderId = randomUUID();
      const orderLineId = randomUUID();
      const paymentId = randomUUID();
      const createdAt = new Date(Date.now() - (30 - index) * 86_400_000);
      const later = (hours: number) => new Date(createdAt.getTime() + hours * 3_600_000);
      const address = {
        firstName: customer.firstName,
        lastName: customer.lastName,
        company: '',
        address1: 'Hauptstraße 1',
        address2: '',
        city: 'Berlin',
        province: '',
        provinceCode: '',
        countryCode: 'DE',
        zip: '10115',
        phone: '',
      };
      orders.push({
        id: orderId,
        storeId,
        number,
        customerId: customer.id,
        email: customer.email,
        status: delivered ? 'DELIVERED' : 'PENDING',
        paymentStatus: delivered ? 'PAID' : 'PENDING',
        fulfillmentStatus: delivered ? 'DELIVERED' : 'UNFULFILLED',
        currencyCode: 'EUR',
        subtotal,
        shippingTotal: shipping,
        total,
        shippingAddress: address,
        billingAddress: address,
        shippingRateName: 'Standard',
        createdAt,
        placedAt: createdAt,
        confirmedAt: delivered ? later(1) : null,
      });
      lines.push({
        id: orderLineId,
        storeId,
        orderId,
        variantId: variant.id,
        productId: product.id,
        title: product.title,
        variantTitle: variant.title,
        sku: variant.sku,
        quantity,
        unitPrice,
        totalPrice: subtotal,
        fulfilledQuantity: delivered ? quantity : 0,
        // Where the units are committed until they ship (shipped lines have none left).
        allocations: delivered ? [] : [{ locationId, quantity }],
        createdAt,
      });
      payments.push({
        id: paymentId,
        storeId,
        orderId,
        provider: delivered ? 'TEST_CARD' : 'MANUAL',
        status: delivered ? 'PAID' : 'PENDING',
        amount: total,
        commissionAmount: commission,
        netAmount: total.minus(commission),
        capturedAmount: delivered ? total : 0,
        currencyCode: 'EUR',
        providerReference: delivered ? `demo-${number}` : null,
        createdAt,
      });
      transactions.push({
        storeId,
        paymentId,
        kind: 'SALE',
        status: delivered ? 'SUCCESS' : 'PENDING',
        amount: total,
        providerReference: delivered ? `demo-${number}` : null,
        createdAt,
      });
      const amount = `${total.toFixed(2)} EUR`;
      events.push({
        storeId,
        orderId,
        type: 'PLACED',
        message: `Order #${number} placed: ${amount}, ${delivered ? 'paid by TEST_CARD' : 'payment by MANUAL pending'}.`,
        actorType: 'CUSTOMER',
        actorId: customer.id,
        createdAt,
      });
      if (delivered) {
        const fulfillmentId = randomUUID();
        const tracking = `00340434${String(number).padStart(10, '0')}`;
        fulfillments.push({
          id: fulfillmentId,
          storeId,
          orderId,
          status: 'DELIVERED',
          carrier: 'DHL',
          trackingNumber: tracking,
          trackingUrl: `https://www.dhl.de/en/privatkunden.html?piececode=${tracking}`,
          deliveredAt: later(72),
          createdAt: later(24),
        });
        fulfillmentLines.push({ storeId, fulfillmentId, orderLineId, quantity });
        events.push(
          {
            storeId,
            orderId,
            type: 'CONFIRMED',
            message: `Order #${number} confirmed.`,
            actorType: 'STAFF',
            actorId: sellerId,
            createdAt: later(1),
          },
          {
            storeId,
            orderId,
            type: 'FULFILLED',
            message: `Shipped ${quantity} × ${product.title} (via DHL, tracking ${tracking}).`,
            actorType: 'STAFF',
            actorId: sellerId,
            data: { fulfillmentId },
            createdAt: later(24),
          },
          {
            storeId,
            orderId,
            type: 'DELIVERED',
            message: `Order #${number} delivered.`,
            actorType: 'STAFF',
            actorId: sellerId,
            createdAt: later(72),
          },
        );
      } else {
        // Committed as checkout would: units leave "available" for the order until it ships.
        level.available = Math.max(level.available ?? 0, quantity) - quantity;
        level.committed = (level.committed ?? 0) + quantity;
        movements.push({
          storeId,
          variantId: level.variantId,
          locationId,
          delta: -quantity,
          availableAfter: level.available,
          reason: 'order',
          actorType: 'customer',
          actorId: customer.id,
          orderId,
          createdAt,
        });
      }
      const stat = stats.get(customer.id) ?? {
        customerId: customer.id,
        storeId,
        ordersCount: 0,
        totalSpent: new Prisma.Decimal(0),
        lastOrderAt: createdAt,
      };
      stats.set(customer.id, {
        ...stat,
        ordersCount: stat.ordersCount! + 1,
        totalSpent: new Prisma.Decimal(stat.totalSpent as Prisma.Decimal).plus(total),
        lastOrderAt: createdAt,
      });
    }
    await tx.inventoryLevel.createMany({ data: levels });
    await tx.order.createMany({ data: orders });
    await tx.orderLine.createMany({ data: lines });
    await tx.payment.createMany({ data: payments });
    await tx.paymentTransaction.createMany({ data: transactions });
    await tx.fulfillment.createMany({ data: fulfillments });
    await tx.fulfillmentLine.createMany({ data: fulfillmentLines });
    await tx.orderEvent.createMany({ data: events });
    await tx.stockMovement.createMany({ data: movements });
    await tx.customerOrderStats.createMany({ data: [...stats.values()] });
    await tx.storeCounter.create({ data: { storeId, lastOrderNumber: 1000 + orders.length } });
    await seedEngagement(tx, storeId, products[0]?.id as string, customers, orders, lines);
    // The orders above are written as rows, not through checkout, so no event tells the analytics
    // consumer of them: the store's rollups are rebuilt from them here, in the same transaction, so
    // the dashboard shows the month from the first start (and a seed cut short leaves neither).
    await rebuildInTransaction((query) => tx.$queryRaw(query), storeId);
  }, SEED_TRANSACTION);
  return true;
}

type SeedTransaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

const REVIEWS = [
  { rating: 5, title: 'Fits perfectly', body: 'Soft fabric, true to size, survived many washes.' },
  { rating: 4, title: 'Good shirt', body: 'Nice colour; the sleeves run a little long.' },
  { rating: 3, title: 'It is fine', body: 'Does the job, nothing special.' },
];

/**
 * Reviews of the first product by three customers (verified when their seeded orders bought it,
 * as the review service decides), the product's rating figures to match, and a question with the
 * store's answer.
 */
async function seedEngagement(
  tx: SeedTransaction,
  storeId: string,
  productId: string,
  customers: readonly { id: string; firstName: string; lastName: string }[],
  orders: readonly Prisma.OrderCreateManyInput[],
  lines: readonly Prisma.OrderLineCreateManyInput[],
): Promise<void> {
  const paid = new Set(orders.filter((order) => order.paymentStatus === 'PAID').map((order) => order.id));
  const buyers = new Set(
    lines
      .filter((line) => line.productId === productId && paid.has(line.orderId))
      .map((line) => orders.find((order) => order.id === line.orderId)?.customerId),
  );
  const reviews = REVIEWS.map((review, index) => {
    const customer = customers[index] as (typeof customers)[number];
    return {
      ...review,
      storeId,
      productId,
      customerId: customer.id,
      authorName: `${customer.firstName} ${customer.lastName.charAt(0)}.`,
      status: 'PUBLISHED',
      verifiedBuyer: buyers.has(customer.id),
      helpfulCount: index === 0 ? 1 : 0,
      createdAt: new Date(Date.now() - (3 - index) * 86_400_000),
    };
  });
  await tx.productReview.createMany({ data: reviews });
  const first = await tx.productReview.findFirstOrThrow({
    where: { storeId, productId, customerId: customers[0]?.id },
  });
  await tx.productReviewVote.create({ data: { storeId, reviewId: first.id, customerId: customers[1]?.id as string } });
  const stars = (rating: number) => reviews.filter((review) => review.rating === rating).length;
  await tx.product.update({
    where: { storeId_id: { storeId, id: productId } },
    data: {
      ratingCount: reviews.length,
      ratingSum: reviews.reduce((sum, review) => sum + review.rating, 0),
      ratingCount1: stars(1),
      ratingCount2: stars(2),
      ratingCount3: stars(3),
      ratingCount4: stars(4),
      ratingCount5: stars(5),
    },
  });
  const asker = customers[3] as (typeof customers)[number];
  const question = await tx.productQuestion.create({
    data: {
      storeId,
      productId,
      customerId: asker.id,
      authorName: `${asker.firstName} ${asker.lastName.charAt(0)}.`,
      body: 'Is it available in green?',
      status: 'PUBLISHED',
    },
  });
  await tx.productAnswer.create({
    data: {
      storeId,
      questionId: question.id,
      authorType: 'STAFF',
      sellerId: (await tx.staffMember.findFirstOrThrow({ where: { storeId, role: 'OWNER' } })).sellerId,
      authorName: 'Demo Outfitters',
      body: 'Not yet: black and navy for now.',
      status: 'PUBLISHED',
    },
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is required (the database owner; see .env.example).');
    process.exit(1);
  }
  const database = openDatabase({ connectionString: url, poolSize: 2 });
  const wrote = await seedDemo(database.prisma);
  console.log(
    wrote
      ? `seeded the demo store "${DEMO.storeSlug}"`
      : `the demo store "${DEMO.storeSlug}" exists already; nothing written`,
  );
  await database.disconnect();
}

/** What each adjective's products are made of, for the demo's specs.material field. */
const MATERIALS: Record<string, string> = {
  Linen: 'Linen',
  Organic: 'Organic cotton',
  Merino: 'Merino wool',
  Canvas: 'Canvas',
  Trail: 'Recycled polyester',
};

/**
 * A product custom field shown on the storefront, `specs.material` (single-line text, one of the
 * materials), with a value on every product, as metafieldsSet would have stored it.
 */
async function seedCustomFields(
  tx: Prisma.TransactionClient,
  storeId: string,
  products: readonly Prisma.ProductCreateManyInput[],
): Promise<void> {
  const choices = [...new Set([...Object.values(MATERIALS), 'Cotton'])];
  const definition = await tx.metafieldDefinition.create({
    data: {
      storeId,
      ownerType: 'PRODUCT',
      namespace: 'specs',
      key: 'material',
      name: 'Material',
      description: 'What the product is mostly made of.',
      type: 'SINGLE_LINE_TEXT',
      validations: { choices },
      visibleToStorefront: true,
    },
  });
  await tx.metafield.createMany({
    data: products.map((product) => {
      const material = MATERIALS[product.title.split(' ')[0] ?? ''] ?? 'Cotton';
      const parsed = parseMetafieldValue({ type: 'SINGLE_LINE_TEXT', list: false, validations: { choices } }, material);
      if (!parsed.ok) throw new Error(`The demo material ${material} is not valid: ${parsed.message}`);
      return {
        storeId,
        definitionId: definition.id,
        ownerType: 'PRODUCT' as const,
        ownerId: product.id as string,
        value: parsed.value,
        searchValue: parsed.searchValue,
      };
    }),
  });
}
