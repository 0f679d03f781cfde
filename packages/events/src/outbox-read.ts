import { inScope, type PrismaClient } from '@commerce/database';
import type { StoreEvent } from './event.js';
import type { EventType } from './outbox.js';

export interface OutboxPage {
  /** The store's events in (after, upTo], oldest first, of the requested types; at most `limit`. */
  events: StoreEvent[];
  /** The store's last committed sequence when the page was read (0 before its first event). */
  lastCommitted: bigint;
  /** The store's oldest event still kept, or null when none is (pruned, or none yet). */
  oldestKept: bigint | null;
}

export interface OutboxPageRequest {
  after: bigint;
  /** Highest sequence to read; default: the last committed one. */
  upTo?: bigint;
  types: readonly EventType[];
  limit: number;
}

/**
 * Reads a store's events back from the outbox (replay, gap filling) in the store's own tenant
 * scope, so row-level security applies. One snapshot: everything up to lastCommitted is in it.
 */
export async function readStoreOutbox(
  prisma: PrismaClient,
  storeId: string,
  request: OutboxPageRequest,
): Promise<OutboxPage> {
  return inScope(
    prisma,
    { storeId },
    async (tx) => {
      const counter = await tx.storeCounter.findUnique({ where: { storeId }, select: { lastEventSequence: true } });
      const lastCommitted = counter?.lastEventSequence ?? 0n;
      const upTo = request.upTo === undefined || request.upTo > lastCommitted ? lastCommitted : request.upTo;
      const oldest = await tx.outboxEvent.findFirst({
        where: { storeId },
        orderBy: { sequence: 'asc' },
        select: { sequence: true },
      });
      const rows =
        upTo > request.after
          ? await tx.outboxEvent.findMany({
              where: { storeId, sequence: { gt: request.after, lte: upTo }, type: { in: [...request.types] } },
              orderBy: { sequence: 'asc' },
              take: request.limit,
            })
          : [];
      return {
        lastCommitted,
        oldestKept: oldest?.sequence ?? null,
        events: rows.map((row) => ({
          id: row.id,
          storeId: row.storeId,
          sequence: row.sequence,
          type: row.type as EventType,
          aggregateType: row.aggregateType,
          aggregateId: row.aggregateId,
          payload: row.payload,
          createdAt: row.createdAt,
        })),
      };
    },
    { isolationLevel: 'RepeatableRead' },
  );
}

/** A store's last committed event sequence (0 before its first event). */
export async function lastCommittedSequence(prisma: PrismaClient, storeId: string): Promise<bigint> {
  const counter = await inScope(prisma, { storeId }, (tx) =>
    tx.storeCounter.findUnique({ where: { storeId }, select: { lastEventSequence: true } }),
  );
  return counter?.lastEventSequence ?? 0n;
}
