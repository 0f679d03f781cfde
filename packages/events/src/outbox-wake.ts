// Waking the outbox relay after a transaction that wrote events commits (DESIGN §8, §13). The
// outbox is the record and every relay polls it; a wake-up only spares the events the wait for
// the next poll, and one that is lost costs at most that wait. Wake-ups come from the
// application, after the commit, never from a trigger or a NOTIFY raised inside a transaction
// (which, on a sharded database, a data node would raise where no relay listens):
//
// - in a process that runs a relay over the same database handle (pnpm start, the tests), the
//   relay is called directly: no statement, no round trip;
// - in a process without one (a subgraph deployed on its own), one `SELECT pg_notify(…)` goes out
//   on the pool after the commit, not awaited by the request, to the relays that LISTEN on their
//   own connections (in the gateways).
import { afterCommit, type PrismaClient } from '@commerce/database';
import { logger } from '@commerce/observability';

/** The channel relays LISTEN on for wake-ups; the notification carries nothing, the relay reads the outbox. */
export const OUTBOX_CHANNEL = 'outbox_event';

/** Relays of this process, by the database handle they publish from. */
const localRelays = new Map<PrismaClient, Set<() => void>>();

/**
 * Calls `wake` after each commit in this process, through `prisma`, of a transaction that wrote
 * outbox events. Returns the function that stops it.
 */
export function wakeOnOutboxCommit(prisma: PrismaClient, wake: () => void): () => void {
  let wakes = localRelays.get(prisma);
  if (!wakes) {
    wakes = new Set();
    localRelays.set(prisma, wakes);
  }
  wakes.add(wake);
  const added = wakes;
  return () => {
    added.delete(wake);
    if (added.size === 0 && localRelays.get(prisma) === added) localRelays.delete(prisma);
  };
}

/** Marks a transaction (of inScope or inScopeSql) as having written outbox events: relays are woken once it commits. */
export function noteOutboxWrite(tx: object): void {
  afterCommit(tx, wakeRelays);
}

function wakeRelays(prisma: PrismaClient): void {
  const wakes = localRelays.get(prisma);
  if (wakes && wakes.size > 0) {
    for (const wake of wakes) wake();
    return;
  }
  prisma.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`.catch((error: unknown) => {
    logger.warn(
      { reason: error instanceof Error ? error.message : String(error) },
      'outbox: could not wake the relays; they find the events at their next poll',
    );
  });
}
