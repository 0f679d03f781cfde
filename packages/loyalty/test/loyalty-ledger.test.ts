// The loyalty ledger where it lives: each change moves the balance by its points, so the balance
// is the ledger's sum; debits never take it below zero, even at once; an order earns once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inScope, Prisma, type PrismaClient } from '@commerce/database';
import { ownerPrisma, unique } from '@commerce/testkit';
import {
  earnLoyaltyPoints,
  InsufficientLoyaltyPoints,
  pointsToReverse,
  recordLoyaltyChange,
  redemptionDiscount,
} from '../src/index.js';

let owner: PrismaClient;
beforeAll(() => {
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
});

/** A store with an enabled programme (2 points per unit) and one customer. */
async function newMember(): Promise<{ storeId: string; customerId: string }> {
  const storeId = randomUUID();
  await owner.store.create({
    data: { id: storeId, name: 'Points', slug: unique('points'), currencyCode: 'EUR', counter: { create: {} } },
  });
  await owner.loyaltyProgram.create({
    data: { storeId, enabled: true, pointsPerUnit: new Prisma.Decimal('2'), unitValue: new Prisma.Decimal('0.05') },
  });
  const customer = await owner.customer.create({ data: { storeId, email: `${unique('member')}@example.com` } });
  return { storeId, customerId: customer.id };
}

const change = (storeId: string, customerId: string, kind: 'REDEEM' | 'ADJUST', points: number) =>
  inScope(owner, { storeId }, (tx) => recordLoyaltyChange(tx, { storeId, customerId, kind, points }));

async function balanceAndSum(storeId: string, customerId: string): Promise<[number, number]> {
  const balance = await owner.loyaltyBalance.findUnique({ where: { storeId_customerId: { storeId, customerId } } });
  const ledger = await owner.loyaltyTransaction.aggregate({ where: { storeId, customerId }, _sum: { points: true } });
  return [balance?.points ?? 0, ledger._sum.points ?? 0];
}

describe('loyalty ledger', () => {
  it('ten redemptions of 30 points at once from 100 points: three succeed, the balance ends at 10', async () => {
    const { storeId, customerId } = await newMember();
    await change(storeId, customerId, 'ADJUST', 100);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, () => change(storeId, customerId, 'REDEEM', -30)),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(3);
    for (const outcome of outcomes)
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(InsufficientLoyaltyPoints);
    expect(await balanceAndSum(storeId, customerId)).toEqual([10, 10]);
  });

  it('a random mix of credits and debits leaves the balance equal to the ledger sum, never negative', async () => {
    const { storeId, customerId } = await newMember();
    for (let step = 0; step < 40; step += 1) {
      const points = (Math.floor(Math.random() * 50) + 1) * (Math.random() < 0.5 ? 1 : -1);
      await change(storeId, customerId, points > 0 ? 'ADJUST' : 'REDEEM', points).catch((error: unknown) => {
        if (!(error instanceof InsufficientLoyaltyPoints)) throw error;
      });
      const [balance, sum] = await balanceAndSum(storeId, customerId);
      expect(balance).toBe(sum);
      expect(balance).toBeGreaterThanOrEqual(0);
    }
  });

  it('an order earns once, however often its payment is reported', async () => {
    const { storeId, customerId } = await newMember();
    const orderId = randomUUID();
    const earn = () =>
      inScope(owner, { storeId }, (tx) =>
        earnLoyaltyPoints(tx, { storeId, customerId, orderId, amount: new Prisma.Decimal('12.99') }),
      );
    expect(await earn()).toBe(25);
    expect(await earn()).toBe(0);
    expect(await balanceAndSum(storeId, customerId)).toEqual([25, 25]);
  });

  it('prices points exactly and reverses in proportion', () => {
    expect(redemptionDiscount(333, new Prisma.Decimal('0.015'), new Prisma.Decimal('100'), 2).toFixed()).toBe('4.99');
    expect(redemptionDiscount(10_000, new Prisma.Decimal('0.05'), new Prisma.Decimal('42.10'), 2).toFixed()).toBe(
      '42.1',
    );
    expect(redemptionDiscount(7, new Prisma.Decimal('0.5'), new Prisma.Decimal('100'), 0).toFixed()).toBe('3');
    const total = new Prisma.Decimal('45');
    expect(pointsToReverse(67, total, new Prisma.Decimal('15'), 0)).toBe(22);
    expect(pointsToReverse(67, total, new Prisma.Decimal('30'), 22)).toBe(22);
    expect(pointsToReverse(67, total, total, 44)).toBe(23);
  });
});
