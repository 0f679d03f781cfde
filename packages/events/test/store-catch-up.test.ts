import { describe, expect, it } from 'vitest';
import { InProcessEventBus, StoreCatchUpLoop, type EventType, type StoreEvent } from '../src/index.js';

function event(storeId: string, type: EventType, sequence: number): StoreEvent {
  return {
    id: BigInt(sequence),
    storeId,
    sequence: BigInt(sequence),
    type,
    aggregateType: 'Product',
    aggregateId: 'p',
    payload: {},
    createdAt: new Date(),
  };
}

async function until(ready: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the catch-up loop of an outbox consumer', () => {
  it('catches up the stores its events wake and those the poll finds behind, one at a time', async () => {
    const bus = new InProcessEventBus();
    const caughtUp: string[] = [];
    let inFlight = 0;
    let mostAtOnce = 0;
    let behind = ['polled'];
    const loop = new StoreCatchUpLoop({
      catchUp: async (storeId) => {
        inFlight += 1;
        mostAtOnce = Math.max(mostAtOnce, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 10));
        caughtUp.push(storeId);
        inFlight -= 1;
      },
      storesBehind: async () => behind,
      bus,
      wakesOn: (published) => published.type === 'product.published',
      pollIntervalMs: 60_000,
      onError: (error) => {
        throw error;
      },
    });
    await loop.start();
    await until(() => caughtUp.includes('polled'));
    expect(loop.storesBehind).toBe(1);
    behind = [];

    await bus.publish([event('a', 'product.published', 1), event('b', 'product.updated', 1)]);
    await bus.publish([event('c', 'product.published', 1)]);
    await until(() => caughtUp.includes('a') && caughtUp.includes('c'));
    await loop.stop();
    expect(caughtUp).not.toContain('b');
    expect(mostAtOnce).toBe(1);
  });

  it('reports a failed catch-up and tries the store again at the next poll', async () => {
    const errors: Array<string | null> = [];
    let attempts = 0;
    const loop = new StoreCatchUpLoop({
      catchUp: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('the database went away');
      },
      storesBehind: async () => (attempts < 2 ? ['s'] : []),
      pollIntervalMs: 20,
      onError: (_error, storeId) => errors.push(storeId),
    });
    await loop.start();
    await until(() => attempts >= 2);
    await loop.stop();
    expect(errors).toEqual(['s']);
  });
});
