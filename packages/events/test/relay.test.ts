import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { inScope, type PrismaClient } from '@commerce/database';
import { appDatabase, eventually, ownerPrisma, testRealtime, unique } from '@commerce/testkit';
import {
  appendOutboxEvent,
  InProcessEventBus,
  openStoreEventStream,
  OutboxRelay,
  RedisEventBus,
  type EventType,
  type StoreEvent,
  type StoreEventListener,
} from '../src/index.js';

let app: PrismaClient;
let owner: PrismaClient;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(() => {
  app = appDatabase().prisma;
  owner = ownerPrisma();
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await app.$disconnect();
  await owner.$disconnect();
});

async function newStore(): Promise<string> {
  const id = randomUUID();
  await owner.store.create({
    data: { id, name: 'Relay', slug: unique('relay'), currencyCode: 'EUR', counter: { create: {} } },
  });
  return id;
}

/** Commits one event the way a service does (app role, tenant scope); returns its sequence. */
function append(storeId: string, type: EventType = 'inventory.updated'): Promise<bigint> {
  return inScope(app, { storeId }, (tx) =>
    appendOutboxEvent(tx, { storeId, type, aggregateType: 'ProductVariant', aggregateId: randomUUID(), payload: {} }),
  );
}

/** A bus on this run's Redis channels, as every gateway of the run uses. */
function runBus(): RedisEventBus {
  const { redisUrl, keyPrefix } = testRealtime();
  const bus = new RedisEventBus({ url: redisUrl, keyPrefix });
  cleanups.push(() => bus.close());
  return bus;
}

function relay(bus = runBus(), options: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}): OutboxRelay {
  const started = new OutboxRelay({
    prisma: app,
    bus,
    connectionString: inject('appDatabaseUrl'),
    pollIntervalMs: 200,
    ...options,
  });
  cleanups.push(() => started.stop());
  return started;
}

describe('the outbox relay', () => {
  it('with several relays running, publishes every event once, in sequence order per store, and marks it', async () => {
    const stores = [await newStore(), await newStore()];
    const received = new Map<string, bigint[]>(stores.map((store) => [store, []]));
    const listening = runBus();
    for (const store of stores)
      await listening.subscribe(store, { onEvent: (event) => received.get(event.storeId)?.push(event.sequence) });
    const relays = [relay(), relay(), relay()];
    await Promise.all(relays.map((started) => started.start()));

    await Promise.all(stores.flatMap((store) => Array.from({ length: 25 }, () => append(store))));
    const expected = Array.from({ length: 25 }, (_, index) => BigInt(index + 1));
    await eventually('every event', () => stores.every((store) => (received.get(store)?.length ?? 0) >= 25));
    for (const store of stores) expect(received.get(store)).toEqual(expected);
    await eventually(
      'every event marked published',
      async () => (await owner.outboxEvent.count({ where: { storeId: { in: stores }, publishedAt: null } })) === 0,
    );
    // Later events follow, still once each.
    await append(stores[0] ?? '');
    await eventually('the next event', () => (received.get(stores[0] ?? '')?.length ?? 0) >= 26);
    expect(received.get(stores[0] ?? '')).toEqual([...expected, 26n]);
  });

  it('deletes published events past the retention, oldest first, and keeps the rest', async () => {
    const store = await newStore();
    for (let index = 0; index < 3; index += 1) await append(store);
    await eventually(
      'the events published',
      async () => (await owner.outboxEvent.count({ where: { storeId: store, publishedAt: null } })) === 0,
    );
    const monthAgo = new Date(Date.now() - 30 * 24 * 3_600_000);
    await owner.outboxEvent.updateMany({
      where: { storeId: store, sequence: { lte: 2n } },
      data: { publishedAt: monthAgo },
    });

    const pruned = await relay(runBus(), { retentionMs: 7 * 24 * 3_600_000 }).prune();
    expect(pruned).toBeGreaterThanOrEqual(2);
    const kept = await owner.outboxEvent.findMany({ where: { storeId: store }, select: { sequence: true } });
    expect(kept.map((row) => row.sequence)).toEqual([3n]);
  });
});

/** An in-process bus that also delivers `script` (duplicates, live events) while a stream replays. */
class ScriptedBus extends InProcessEventBus {
  script: StoreEvent[] = [];

  override async subscribe(storeId: string, listener: StoreEventListener): Promise<() => void> {
    const unsubscribe = await super.subscribe(storeId, listener);
    const script = this.script;
    setImmediate(() => void this.publish(script));
    return unsubscribe;
  }
}

async function rowsOf(storeId: string): Promise<StoreEvent[]> {
  const rows = await owner.outboxEvent.findMany({ where: { storeId }, orderBy: { sequence: 'asc' } });
  return rows.map((row) => ({ ...row, type: row.type as EventType }));
}

async function take(stream: AsyncIterator<StoreEvent>, count: number): Promise<bigint[]> {
  const sequences: bigint[] = [];
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`timed out after ${sequences.length} of ${count} events`)), 15_000),
  );
  while (sequences.length < count) {
    const next = await Promise.race([stream.next(), timeout]);
    if (next.done) throw new Error('the stream ended');
    sequences.push(next.value.sequence);
  }
  return sequences;
}

describe('a store event stream', () => {
  it('replays after a sequence, then goes live with no gap and no duplicate at the switch-over, and reads lost events back', async () => {
    const store = await newStore();
    for (let sequence = 1; sequence <= 6; sequence += 1)
      await append(store, sequence === 4 ? 'order.created' : 'inventory.updated');
    const bus = new ScriptedBus();
    const rows = await rowsOf(store);
    // While the replay reads, the bus delivers events the replay also finds, the last one as if new.
    bus.script = rows.filter((row) => row.sequence >= 4n);
    const stream = await openStoreEventStream({
      bus,
      prisma: app,
      storeId: store,
      afterSequence: 2n,
      types: ['inventory.updated'],
    });
    cleanups.push(async () => stream.return());
    expect(await take(stream, 3)).toEqual([3n, 5n, 6n]);

    // 7 never reaches the bus: 8 reveals the gap, and 7 is read back from the outbox.
    await append(store);
    await append(store);
    const [seven, eight] = (await rowsOf(store)).slice(6);
    if (!seven || !eight) throw new Error('events 7 and 8 are missing');
    await bus.publish([eight, eight]);
    expect(await take(stream, 2)).toEqual([7n, 8n]);

    await append(store);
    const nine = (await rowsOf(store))[8];
    if (!nine) throw new Error('event 9 is missing');
    await bus.publish([seven, nine]);
    expect(await take(stream, 1)).toEqual([9n]);
  });

  it('over Redis, catches up on what was published while its connection was down', async () => {
    const store = await newStore();
    const bus = runBus();
    const started = relay();
    await started.start();
    const stream = await openStoreEventStream({
      bus,
      prisma: app,
      storeId: store,
      afterSequence: null,
      types: ['inventory.updated'],
    });
    cleanups.push(async () => stream.return());
    await append(store);
    expect(await take(stream, 1)).toEqual([1n]);

    const admin = new Redis(testRealtime().redisUrl);
    cleanups.push(() => admin.quit());
    const clients = String(await admin.client('LIST'));
    const id = /(?:^|\n)id=(\d+) .*name=([^ ]+)/g;
    const ours = [...clients.matchAll(id)].find((match) => match[2] === bus.subscriberName)?.[1];
    if (!ours) throw new Error(`no Redis client named ${bus.subscriberName}`);
    await admin.client('KILL', 'ID', ours);
    await append(store);
    await append(store);
    expect(await take(stream, 2)).toEqual([2n, 3n]);
  });
});
