// How the relay hears of new events before its next poll: from the application, after the commit.
// In the process of the commit, directly; from a process without a relay, by pg_notify on the
// pool once committed. On a database of its own, where no other relay runs or notifies.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inScope, openDatabase, type PrismaClient } from '@commerce/database';
import { createIsolatedDatabase, eventually, unique } from '@commerce/testkit';
import { appendOutboxEvent, InProcessEventBus, OUTBOX_CHANNEL, OutboxRelay, type StoreEvent } from '../src/index.js';

let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let app: PrismaClient;
let owner: PrismaClient;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  database = await createIsolatedDatabase();
  app = openDatabase({ connectionString: database.appUrl, poolSize: 2 }).prisma;
  owner = openDatabase({ connectionString: database.url, poolSize: 2 }).prisma;
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await app?.$disconnect();
  await owner?.$disconnect();
  await database?.drop();
});

async function newStore(): Promise<string> {
  const id = randomUUID();
  await owner.store.create({
    data: { id, name: 'Wake', slug: unique('wake'), currencyCode: 'EUR', counter: { create: {} } },
  });
  return id;
}

/** Commits one event as a service does; returns its sequence. */
function append(prisma: PrismaClient, storeId: string): Promise<bigint> {
  return inScope(prisma, { storeId }, (tx) =>
    appendOutboxEvent(tx, {
      storeId,
      type: 'inventory.updated',
      aggregateType: 'ProductVariant',
      aggregateId: randomUUID(),
      payload: {},
    }),
  );
}

const HOUR = 3_600_000;

describe('waking the relay', () => {
  it('a commit in the relay’s process publishes its event at once, without waiting for the poll', async () => {
    const storeId = await newStore();
    const bus = new InProcessEventBus();
    const received: StoreEvent[] = [];
    await bus.subscribe(storeId, { onEvent: (event) => received.push(event) });
    // Polling once an hour and not listening: only the wake-up after the commit can bring the event.
    const relay = new OutboxRelay({ prisma: app, bus, pollIntervalMs: HOUR });
    cleanups.push(() => relay.stop());
    await relay.start();
    await eventually('the first pass', () => relay.lastPassAt > 0);

    const sequence = await append(app, storeId);
    await eventually('the event', () => received.length > 0, 10_000);
    expect(received.map((event) => event.sequence)).toEqual([sequence]);
  });

  it('a commit in a process without a relay notifies the relays that listen, once committed', async () => {
    const storeId = await newStore();
    const listener = new pg.Client({ connectionString: database.url });
    await listener.connect();
    cleanups.push(() => listener.end());
    const heard: string[] = [];
    listener.on('notification', (notification) => heard.push(notification.channel));
    await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    await listener.query('LISTEN probe');

    // A handle no relay of this process uses, as a subgraph deployed on its own has.
    const subgraph = openDatabase({ connectionString: database.appUrl, poolSize: 2 }).prisma;
    cleanups.push(() => subgraph.$disconnect());
    await expect(
      inScope(subgraph, { storeId }, async (tx) => {
        await appendOutboxEvent(tx, {
          storeId,
          type: 'inventory.updated',
          aggregateType: 'ProductVariant',
          aggregateId: randomUUID(),
          payload: {},
        });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await append(subgraph, storeId);
    await eventually('the wake-up', () => heard.length > 0, 10_000);
    // One, from the commit; none from the rollback (a probe sent now arrives after anything sent before).
    await owner.$executeRaw`SELECT pg_notify('probe', '')`;
    await eventually('the probe', () => heard.includes('probe'));
    expect(heard).toEqual([OUTBOX_CHANNEL, 'probe']);
  });
});
