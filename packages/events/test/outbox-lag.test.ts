// Outbox lag as /metrics reports it: the age of the oldest event the relay has not published. On a
// database of its own, where no relay runs, so the events stay unpublished until the test says.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inScope, openDatabase, type PrismaClient } from '@commerce/database';
import { createIsolatedDatabase, unique } from '@commerce/testkit';
import { appendOutboxEvent, outboxLagSeconds } from '../src/index.js';

let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let app: PrismaClient;
let owner: PrismaClient;

beforeAll(async () => {
  database = await createIsolatedDatabase();
  app = openDatabase({ connectionString: database.appUrl, poolSize: 2 }).prisma;
  owner = openDatabase({ connectionString: database.url, poolSize: 2 }).prisma;
});

afterAll(async () => {
  await app?.$disconnect();
  await owner?.$disconnect();
  await database?.drop();
});

describe('outbox lag', () => {
  it('is the age of the oldest unpublished event, across stores, and 0 once all are published', async () => {
    expect(await outboxLagSeconds(app)).toBe(0);
    const storeId = randomUUID();
    await owner.store.create({
      data: { id: storeId, name: 'Lag', slug: unique('lag'), currencyCode: 'EUR', counter: { create: {} } },
    });
    await inScope(app, { storeId }, (tx) =>
      appendOutboxEvent(tx, {
        storeId,
        type: 'inventory.updated',
        aggregateType: 'ProductVariant',
        aggregateId: '1',
        payload: {},
      }),
    );
    // As if the relay had been away for ten minutes.
    await owner.outboxEvent.updateMany({ where: { storeId }, data: { createdAt: new Date(Date.now() - 600_000) } });
    const lag = await outboxLagSeconds(app);
    expect(lag).toBeGreaterThanOrEqual(600);
    expect(lag).toBeLessThan(3_600);
    await owner.outboxEvent.updateMany({ where: { storeId }, data: { publishedAt: new Date() } });
    expect(await outboxLagSeconds(app)).toBe(0);
  });
});
