import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually as eventuallyWithin, testRealtime } from '@commerce/testkit';

/** The bus delivers within milliseconds; five seconds is failure. */
const eventually = (what: string, ready: () => boolean) => eventuallyWithin(what, ready, 5_000);
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
  return {
    id: sequence,
    storeId,
    sequence,
    type: 'inventory.updated',
    aggregateType: 'ProductVariant',
    aggregateId: randomUUID(),
    payload: {},
    createdAt: new Date(),
  };
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
      await bus.subscribe(storeId, {
        onEvent: (delivered) => received.push({ bus: index, sequence: delivered.sequence }),
        onResync: () => resyncs.push(index),
      });
    });
    await Promise.all(subscribing);

    await newBus().publish([event(storeId, 1n), event(storeId, 2n)]);
    await eventually('both events on every bus', () => received.length >= 10);
    for (let bus = 0; bus < 5; bus += 1)
      expect(received.filter((entry) => entry.bus === bus).map((entry) => entry.sequence)).toEqual([1n, 2n]);
    // No bus lost its connection to a failed handshake.
    expect(resyncs).toEqual([]);
  });

  it('fails subscriptions clearly while Redis cannot be reached, and on close, leaving nothing waiting', async () => {
    // Nothing listens on port 1: the subscriber connection keeps retrying.
    const unreachable = new RedisEventBus({
      url: 'redis://127.0.0.1:1',
      keyPrefix: 'unreachable:',
      subscribeTimeoutMs: 300,
    });
    const connection = (unreachable as unknown as { subscriber: Redis }).subscriber;
    const listenersBefore = connection.listenerCount('ready');
    const started = Date.now();
    const waiting = Array.from({ length: 12 }, () => unreachable.subscribe(randomUUID(), { onEvent: () => undefined }));
    // Twelve subscriptions wait on one readiness listener, not one each.
    expect(connection.listenerCount('ready')).toBe(listenersBefore + 1);
    const outcomes = await Promise.allSettled(waiting);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(12).fill('rejected'));
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/not ready within 300 ms/);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(connection.listenerCount('ready')).toBe(listenersBefore);

    const pending = unreachable.subscribe(randomUUID(), { onEvent: () => undefined });
    await unreachable.close();
    await expect(pending).rejects.toThrow('The event bus is closed.');
    await expect(unreachable.subscribe(randomUUID(), { onEvent: () => undefined })).rejects.toThrow(
      'The event bus is closed.',
    );
  });
});
