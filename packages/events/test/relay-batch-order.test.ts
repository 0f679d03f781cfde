// The relay reads each store's events by sequence, not by id: sharded, ids come from each node's
// own sequence and say nothing about the order of events across stores, or even within one. On a
// database of its own, whose outbox holds only the rows written here.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type PrismaClient } from '@commerce/database';
import { createIsolatedDatabase, unique } from '@commerce/testkit';
import { InProcessEventBus, OutboxRelay } from '../src/index.js';

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

async function newStore(): Promise<string> {
  const id = randomUUID();
  await owner.store.create({ data: { id, name: 'Order', slug: unique('order'), currencyCode: 'EUR' } });
  return id;
}

describe('a relay batch', () => {
  it('is the oldest stores’ unpublished events, each store’s a prefix of its sequence, whatever the ids', async () => {
    const [a, b] = [await newStore(), await newStore()];
    const start = Date.now() - 60_000;
    // Written one after another, a's and b's events alternating; the ids run against the sequences.
    const rows: [store: string, sequence: number, id: number][] = [
      [a, 1, 400],
      [b, 1, 50],
      [a, 2, 300],
      [b, 2, 500],
      [a, 3, 200],
      [b, 3, 10],
      [a, 4, 100],
    ];
    for (const [index, [storeId, sequence, id]] of rows.entries()) {
      await owner.$executeRaw`
        INSERT INTO "OutboxEvent" ("id", "storeId", "sequence", "type", "aggregateType", "aggregateId", "payload", "createdAt")
        VALUES (${id}, ${storeId}::uuid, ${sequence}, 'inventory.updated', 'ProductVariant', ${randomUUID()}, '{}'::jsonb,
                ${new Date(start + index * 1_000)})`;
    }
    const bus = new InProcessEventBus();
    const published: Record<string, number[]> = { [a]: [], [b]: [] };
    for (const storeId of [a, b])
      await bus.subscribe(storeId, { onEvent: (event) => published[storeId]?.push(Number(event.sequence)) });
    const relay = new OutboxRelay({ prisma: app, bus, batchSize: 3 });

    const batches: Record<string, number[]>[] = [];
    for (;;) {
      const before = { [a]: published[a]?.length ?? 0, [b]: published[b]?.length ?? 0 };
      const result = await relay.publishBatch();
      if (result === 0) break;
      batches.push({ a: published[a]?.slice(before[a]) ?? [], b: published[b]?.slice(before[b]) ?? [] });
    }
    // Oldest first: a's first event is the oldest, so a's run goes out first, then b's.
    expect(batches).toEqual([
      { a: [1, 2, 3], b: [] },
      { a: [], b: [1, 2, 3] },
      { a: [4], b: [] },
    ]);
    expect(published).toEqual({ [a]: [1, 2, 3, 4], [b]: [1, 2, 3] });
    expect(await owner.outboxEvent.count({ where: { publishedAt: null } })).toBe(0);
  });
});
