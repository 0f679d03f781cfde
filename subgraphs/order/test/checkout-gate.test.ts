import { describe, expect, it } from 'vitest';
import { CheckoutLines } from '../src/services/checkout-gate.js';

/** Work that records how many run at once, per store, and finishes when released. */
function recorder() {
  const running = new Map<string, number>();
  const most = new Map<string, number>();
  let total = 0;
  let mostTotal = 0;
  const order: string[] = [];
  const pending: Array<() => void> = [];
  const work = (storeId: string, label: string) => async () => {
    order.push(label);
    running.set(storeId, (running.get(storeId) ?? 0) + 1);
    most.set(storeId, Math.max(most.get(storeId) ?? 0, running.get(storeId) ?? 0));
    total += 1;
    mostTotal = Math.max(mostTotal, total);
    await new Promise<void>((resolve) => pending.push(resolve));
    running.set(storeId, (running.get(storeId) ?? 1) - 1);
    total -= 1;
    return label;
  };
  /** Lets every waiting work finish, over and over, until none is left. */
  const drain = async () => {
    for (let round = 0; round < 100; round += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      const now = pending.splice(0);
      if (now.length === 0 && round > 0) return;
      for (const resolve of now) resolve();
    }
  };
  return { work, drain, order, most, mostTotal: () => mostTotal };
}

describe('checkout lines', () => {
  it("run at most the store's limit of one store's checkouts at once, in arrival order, and every one of them", async () => {
    const lines = new CheckoutLines(8, 3);
    const { work, drain, order, most } = recorder();
    const results = Array.from({ length: 10 }, (_, index) => lines.run('a', work('a', `a${index}`)));
    await drain();
    expect(await Promise.all(results)).toEqual(Array.from({ length: 10 }, (_, index) => `a${index}`));
    expect(most.get('a')).toBe(3);
    expect(order).toEqual(Array.from({ length: 10 }, (_, index) => `a${index}`));
  });

  it("let other stores' checkouts run beside a busy store, within the process's limit", async () => {
    const lines = new CheckoutLines(5, 3);
    const { work, drain, order, most, mostTotal } = recorder();
    const busy = Array.from({ length: 6 }, (_, index) => lines.run('a', work('a', `a${index}`)));
    const other = Array.from({ length: 3 }, (_, index) => lines.run('b', work('b', `b${index}`)));
    await new Promise((resolve) => setImmediate(resolve));
    // Store a holds 3 of the process's 5; store b gets the other 2 at once, not after a's queue.
    expect(order).toEqual(['a0', 'a1', 'a2', 'b0', 'b1']);
    await drain();
    await Promise.all([...busy, ...other]);
    expect(most.get('a')).toBe(3);
    expect(mostTotal()).toBe(5);
    expect(order).toHaveLength(9);
  });

  it('give the turn on when a checkout fails', async () => {
    const lines = new CheckoutLines(8, 1);
    const failed = lines.run('a', async () => {
      throw new Error('declined');
    });
    const next = lines.run('a', async () => 'placed');
    await expect(failed).rejects.toThrow('declined');
    await expect(next).resolves.toBe('placed');
  });
});
