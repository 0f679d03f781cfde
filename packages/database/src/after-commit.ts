// Work that has to wait until a transaction has committed, registered from inside it (the event
// relay is woken once the events it will read are visible). The tenant transaction helpers
// (inScope, inScopeSql) run it right after COMMIT, in the committing caller's turn, and never
// after a rollback.
import { logger } from '@commerce/observability';
import type { PrismaClient } from './client.js';

/** Called once its transaction has committed, with the client of the database it committed to. */
export type CommitCallback = (prisma: PrismaClient) => void;

const pending = new WeakMap<object, Set<CommitCallback>>();

/**
 * Runs `callback` after the transaction `tx` (a handle given by inScope or inScopeSql) commits;
 * not at all if it rolls back. The same callback registered twice in one transaction runs once.
 */
export function afterCommit(tx: object, callback: CommitCallback): void {
  let callbacks = pending.get(tx);
  if (!callbacks) {
    callbacks = new Set();
    pending.set(tx, callbacks);
  }
  callbacks.add(callback);
}

/** Runs what was registered for `tx`, which has committed: for the transaction helpers alone. */
export function runAfterCommit(tx: object, prisma: PrismaClient): void {
  const callbacks = pending.get(tx);
  if (!callbacks) return;
  pending.delete(tx);
  for (const callback of callbacks) {
    try {
      callback(prisma);
    } catch (error) {
      // The transaction has committed: its caller gets its result whatever a callback does.
      logger.error({ err: error }, 'a callback after a commit failed');
    }
  }
}
