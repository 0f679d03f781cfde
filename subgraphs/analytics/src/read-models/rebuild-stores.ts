// What `pnpm analytics:rebuild` does, for the command and for whoever else rebuilds (the analytics
// benchmark): stores picked by slug or id, or all of them, each rebuilt in one tenant transaction.
import type { PrismaClient } from '@commerce/database';
import { rebuildInTransaction } from './rollup-rebuild.js';
import { poolSql } from './store-sql.js';

/**
 * How long one store's rebuild may take: it reads all the store's orders and lines, minutes for a
 * store of millions, where the consumer's batches get a minute.
 */
const REBUILD_TIMEOUT_MS = 30 * 60_000;

/** A store rebuilt: the event sequence its rollups are now as of, and how long it took. */
export interface StoreRebuilt {
  id: string;
  slug: string;
  sequence: bigint;
  milliseconds: number;
}

/**
 * Rebuilds the rollups of the store `store` names (slug or id), or of every store without it, one
 * store after another, on the owner's client; `onRebuilt` hears of each as it is done.
 */
export async function rebuildStores(
  prisma: PrismaClient,
  store: string | null,
  onRebuilt: (rebuilt: StoreRebuilt) => void = () => undefined,
): Promise<StoreRebuilt[]> {
  const stores = await prisma.store.findMany({
    where: store ? { OR: [{ slug: store }, ...(/^[0-9a-f-]{36}$/i.test(store) ? [{ id: store }] : [])] } : {},
    select: { id: true, slug: true },
    orderBy: { slug: 'asc' },
  });
  const database = poolSql(prisma, REBUILD_TIMEOUT_MS);
  const rebuilt: StoreRebuilt[] = [];
  for (const { id, slug } of stores) {
    const started = performance.now();
    const sequence = await database.transaction(id, (sql) => rebuildInTransaction(sql, id));
    const done = { id, slug, sequence, milliseconds: performance.now() - started };
    rebuilt.push(done);
    onRebuilt(done);
  }
  return rebuilt;
}
