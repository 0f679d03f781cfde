import type { PrismaClient } from '@commerce/database';
import { eventually } from './eventually.js';
import { keyOf, type TestStore } from './seed.js';

/**
 * Waits until the analytics consumer has applied every event the store has written (its cursor
 * at the store's event counter): what analytics answers then includes every change made so far.
 */
export async function analyticsCaughtUp(owner: PrismaClient, store: TestStore, timeoutMs = 20_000): Promise<void> {
  const storeId = keyOf(store.id);
  await eventually(
    'the analytics consumer to catch up',
    async () => {
      const [counter, cursor] = await Promise.all([
        owner.storeCounter.findUniqueOrThrow({ where: { storeId } }),
        owner.analyticsCursor.findUnique({ where: { storeId } }),
      ]);
      return (cursor?.lastSequence ?? 0n) === counter.lastEventSequence;
    },
    timeoutMs,
  );
}
