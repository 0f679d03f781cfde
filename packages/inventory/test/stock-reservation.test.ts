// The stock rules of orders, at the level where they live: reservations on locked levels, all or
// nothing, default location first; concurrent reservations of the last units; giving back exactly
// what was reserved.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inScope, Prisma, selectRead, type Database, type PrismaClient, type Transaction } from '@commerce/database';
import { appDatabase, ownerPrisma, unique } from '@commerce/testkit';
import {
  availableToSell,
  lockLevelsSql,
  planReservation,
  releaseStock,
  type LockedLevel,
  type ReservationPlan,
  type StockLine,
  type StockShortage,
} from '../src/index.js';

let app: Database;
let owner: PrismaClient;
beforeAll(() => {
  app = appDatabase();
  owner = ownerPrisma();
});
afterAll(async () => {
  await app.disconnect();
  await owner.$disconnect();
});

interface Shop {
  storeId: string;
  home: string;
  backroom: string;
  warehouse: string;
}

/** A store with its default location and two others. */
async function newShop(): Promise<Shop> {
  const storeId = randomUUID();
  await owner.store.create({
    data: { id: storeId, name: 'Stock', slug: unique('stock'), currencyCode: 'EUR', counter: { create: {} } },
  });
  const location = (name: string, isDefault: boolean) =>
    owner.inventoryLocation.create({ data: { storeId, name, isDefault } }).then((row) => row.id);
  return {
    storeId,
    home: await location('Shop floor', true),
    backroom: await location('Backroom', false),
    warehouse: await location('Warehouse', false),
  };
}

/** A variant with stock at some of the shop's locations. */
async function newVariant(
  shop: Shop,
  stock: Record<string, number>,
  options: { allowOversell?: boolean } = {},
): Promise<string> {
  const product = await owner.product.create({
    data: { storeId: shop.storeId, title: 'Lamp', handle: unique('lamp') },
  });
  const variant = await owner.productVariant.create({
    data: {
      storeId: shop.storeId,
      productId: product.id,
      title: 'Default',
      price: new Prisma.Decimal('10'),
      allowOversell: options.allowOversell ?? false,
    },
  });
  for (const [locationId, available] of Object.entries(stock)) {
    await owner.inventoryLevel.create({
      data: {
        storeId: shop.storeId,
        variantId: variant.id,
        locationId,
        available,
        allowOversell: options.allowOversell ?? false,
      },
    });
  }
  return variant.id;
}

/** What checkout does with stock: lock the levels, plan, write the plan (its own check included). */
async function reserve(
  tx: Transaction,
  storeId: string,
  lines: StockLine[],
): Promise<ReservationPlan | { ok: false; shortages: StockShortage[] }> {
  const levels = await tx.$queryRaw<LockedLevel[]>(
    lockLevelsSql(storeId, Prisma.sql`${lines.map((line) => line.variantId)}::uuid[]`),
  );
  const plan = await planReservation(tx, storeId, lines, levels, { type: 'guest', id: null, orderId: randomUUID() });
  if (plan.ok && plan.levelWrites) {
    await tx.$queryRaw`WITH ${plan.levelWrites.ctes} SELECT 1 FROM (SELECT 1) AS one WHERE ${plan.levelWrites.check}`;
  }
  return plan;
}

async function levelsOf(variantId: string): Promise<Record<string, { available: number; committed: number }>> {
  const rows = await owner.inventoryLevel.findMany({ where: { variantId } });
  return Object.fromEntries(
    rows.map((row) => [row.locationId, { available: row.available, committed: row.committed }]),
  );
}

describe('stock reservation', () => {
  it('takes units at the default location first, then where most units are, and gives back exactly those', async () => {
    const shop = await newShop();
    const variant = await newVariant(shop, { [shop.home]: 2, [shop.backroom]: 1, [shop.warehouse]: 5 });
    const plan = await inScope(app.prisma, { storeId: shop.storeId }, (tx) =>
      reserve(tx, shop.storeId, [{ variantId: variant, quantity: 6 }]),
    );
    expect(plan).toMatchObject({
      ok: true,
      lines: [
        {
          variantId: variant,
          quantity: 6,
          tracked: true,
          allocations: [
            { locationId: shop.home, quantity: 2 },
            { locationId: shop.warehouse, quantity: 4 },
          ],
        },
      ],
    });
    expect(await levelsOf(variant)).toEqual({
      [shop.home]: { available: 0, committed: 2 },
      [shop.backroom]: { available: 1, committed: 0 },
      [shop.warehouse]: { available: 1, committed: 4 },
    });
    expect(
      await inScope(app.prisma, { storeId: shop.storeId }, (tx) =>
        selectRead(tx, availableToSell(shop.storeId, [variant])),
      ),
    ).toEqual(new Map([[variant, 2]]));

    if (!plan.ok) throw new Error('the reservation was refused');
    await inScope(app.prisma, { storeId: shop.storeId }, (tx) =>
      releaseStock(tx, shop.storeId, plan.lines, { type: 'staff', id: null, orderId: randomUUID() }, { restock: true }),
    );
    expect(await levelsOf(variant)).toEqual({
      [shop.home]: { available: 2, committed: 0 },
      [shop.backroom]: { available: 1, committed: 0 },
      [shop.warehouse]: { available: 5, committed: 0 },
    });
  });

  it('reserves all lines or none, naming every short line with the units there are', async () => {
    const shop = await newShop();
    const plenty = await newVariant(shop, { [shop.home]: 10 });
    const scarce = await newVariant(shop, { [shop.home]: 1, [shop.backroom]: 1 });
    const oversold = await newVariant(shop, { [shop.home]: 1 }, { allowOversell: true });
    const refused = await inScope(app.prisma, { storeId: shop.storeId }, (tx) =>
      reserve(tx, shop.storeId, [
        { variantId: plenty, quantity: 3 },
        { variantId: scarce, quantity: 3 },
        { variantId: oversold, quantity: 4 },
      ]),
    );
    expect(refused).toEqual({ ok: false, shortages: [{ variantId: scarce, requested: 3, available: 2 }] });
    expect(await levelsOf(plenty)).toEqual({ [shop.home]: { available: 10, committed: 0 } });

    // A variant that allows overselling takes what is missing at the default location.
    await inScope(app.prisma, { storeId: shop.storeId }, (tx) =>
      reserve(tx, shop.storeId, [{ variantId: oversold, quantity: 4 }]),
    );
    expect(await levelsOf(oversold)).toEqual({ [shop.home]: { available: -3, committed: 4 } });
  });

  it('never sells the last units twice: concurrent reservations wait for the levels and the late ones are refused', async () => {
    const shop = await newShop();
    const variant = await newVariant(shop, { [shop.home]: 1, [shop.warehouse]: 2 });
    const attempts = await Promise.all(
      Array.from({ length: 6 }, () =>
        inScope(
          app.prisma,
          { storeId: shop.storeId },
          (tx) => reserve(tx, shop.storeId, [{ variantId: variant, quantity: 1 }]),
          { timeout: 20_000 },
        ),
      ),
    );
    expect(attempts.filter((attempt) => attempt.ok)).toHaveLength(3);
    expect(attempts.filter((attempt) => !attempt.ok)).toEqual(
      Array.from({ length: 3 }, () => ({ ok: false, shortages: [{ variantId: variant, requested: 1, available: 0 }] })),
    );
    expect(await levelsOf(variant)).toEqual({
      [shop.home]: { available: 0, committed: 1 },
      [shop.warehouse]: { available: 0, committed: 2 },
    });
  });
});
