import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inScope, type PrismaClient } from '@commerce/database';
import { appDatabase, ownerPrisma, unique } from '@commerce/testkit';
import { appendOutboxEvent } from '../src/index.js';

let app: PrismaClient;
let owner: PrismaClient;
beforeAll(() => {
  app = appDatabase().prisma;
  owner = ownerPrisma();
});
afterAll(async () => {
  await app.$disconnect();
  await owner.$disconnect();
});

async function newStore(): Promise<string> {
  const id = randomUUID();
  await owner.store.create({
    data: { id, name: 'Outbox', slug: unique('outbox'), currencyCode: 'EUR', counter: { create: {} } },
  });
  return id;
}

describe('the outbox', () => {
  it('gives concurrent events of one store consecutive sequences, each once, and other stores their own', async () => {
    const [a, b] = [await newStore(), await newStore()];
    const append = (storeId: string, index: number) =>
      inScope(app, { storeId }, (tx) =>
        appendOutboxEvent(tx, {
          storeId,
          type: 'inventory.updated',
          aggregateType: 'ProductVariant',
          aggregateId: String(index),
          payload: { index },
        }),
      );
    const sequences = await Promise.all([...Array.from({ length: 20 }, (_, index) => append(a, index)), append(b, 0)]);
    expect(
      sequences
        .slice(0, 20)
        .map(Number)
        .sort((x, y) => x - y),
    ).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    expect(sequences[20]).toBe(1n);
    const rows = await owner.outboxEvent.findMany({ where: { storeId: a }, orderBy: { sequence: 'asc' } });
    expect(rows.map((row) => Number(row.sequence))).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
  });

  it('writes nothing when the business transaction rolls back, and the sequence stays gap-free', async () => {
    const storeId = await newStore();
    await expect(
      inScope(app, { storeId }, async (tx) => {
        await appendOutboxEvent(tx, {
          storeId,
          type: 'order.created',
          aggregateType: 'Order',
          aggregateId: 'x',
          payload: {},
        });
        throw new Error('the order failed');
      }),
    ).rejects.toThrow('the order failed');
    const next = await inScope(app, { storeId }, (tx) =>
      appendOutboxEvent(tx, { storeId, type: 'order.created', aggregateType: 'Order', aggregateId: 'y', payload: {} }),
    );
    expect(next).toBe(1n);
    expect(await owner.outboxEvent.count({ where: { storeId } })).toBe(1);
  });
});
