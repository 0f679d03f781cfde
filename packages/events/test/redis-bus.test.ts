import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { testRealtime } from '@commerce/testkit';
import { RedisEventBus, type StoreEvent } from '../src/index.js';

const buses: RedisEventBus[] = [];
afterAll(async () => {
  await Promise.all(buses.map((bus) => bus.close()));
});

function newBus(): RedisEventBus {
  const { redisUrl, keyPrefix } = testRealtime();
  const bus = new RedisEventBus({ url: redisUrl, keyPrefix });
  buses.push(bus);
  return bus;
}

function event(storeId: string, sequence: bigint): StoreEvent {
  return { id: sequence, storeId, sequence, type: 'inventory.updated', aggregateType: 'ProductVariant', aggregateId: randomUUID(), payload: {}, createdAt: new Date() };
}

async function eventually(what: string, ready: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the Redis event bus', () => {
  it('delivers to subscriptions made while its connection is still in its handshake', async () => {
    const storeId = randomUUID();
    const received: Array<{ bus: number; sequence: bigint }> = [];
    const resyncs: number[] = [];
    const subscribing = Array.from({ length: 5 }, async (_, index) => {
      const bus = newBus();
      // The subscriber connection has its socket but has not answered its ready check yet.
      const connection = (bus as unknown as { subscriber: Redis }).subscriber;
      await new Promise((resolve) => connection.once('connect', resolve));
      await bus.subscribe(storeId, { onEvent: (delivered) => received.push({ bus: index, sequence: delivered.sequence }), onResync: () => resyncs.push(index) });
    });
    await Promise.all(subscribing);

    await newBus().publish([event(storeId, 1n), event(storeId, 2n)]);
    await eventually('both events on every bus', () => received.length >= 10);
    for (let bus = 0; bus < 5; bus += 1) expect(received.filter((entry) => entry.bus === bus).map((entry) => entry.sequence)).toEqual([1n, 2n]);
    // No bus lost its connection to a failed handshake.
    expect(resyncs).toEqual([]);
  });
});
