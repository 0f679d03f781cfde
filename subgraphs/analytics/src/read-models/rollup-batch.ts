// One batch of a store's events applied to its rollups, exactly once: the cursor row is locked
// first, the events after it are read in sequence order, and the rollups and the cursor change in
// the same transaction. A replayed or concurrent batch finds the cursor moved on and applies nothing.
import { Prisma } from '@commerce/database';
import type { EventType, StoreEvent } from '@commerce/events';
import { addEvent, emptyDeltas, UnreadableEvent } from './rollup-deltas.js';
import { writeDeltas } from './rollup-writes.js';
import { lockCursor } from './rollup-cursor.js';
import { rebuildInTransaction } from './rollup-rebuild.js';
import type { RunSql } from './store-sql.js';

/** The events that change the rollups (rollup-deltas.ts). */
const ROLLUP_EVENT_TYPES: EventType[] = [
  'order.created',
  'order.refunded',
  'order.cancelled',
  'order.edited',
  'cart.created',
  'checkout.attempted',
];

interface EventRow {
  id: string;
  sequence: string;
  type: EventType;
  aggregateType: string;
  aggregateId: string;
  payload: unknown;
  createdAt: Date | string;
}

/** What a batch did. */
export interface BatchResult {
  /** Events read (applied or skipped), 0 when the store was up to date. */
  events: number;
  /** The cursor after the batch. */
  lastSequence: bigint;
  /** Whether the store's rollups were rebuilt instead (events missing or unreadable). */
  rebuilt: boolean;
}

/** Applies up to `limit` of the store's events after its cursor (see the top of this file). */
export async function applyBatch(sql: RunSql, storeId: string, limit: number): Promise<BatchResult> {
  const cursor = await lockCursor(sql, storeId);
  const rows = await sql<EventRow & { zone: string }>(Prisma.sql`
    SELECT e."id"::text AS "id", e."sequence"::text AS "sequence", e."type", e."aggregateType", e."aggregateId", e."createdAt",
           -- Other events only move the cursor on: their payloads stay in the database.
           CASE WHEN e."type" = ANY(${ROLLUP_EVENT_TYPES}::text[]) THEN e."payload" END AS "payload",
           (SELECT s."timezone" FROM "Store" s WHERE s."id" = ${storeId}::uuid) AS "zone"
    FROM "OutboxEvent" e
    WHERE e."storeId" = ${storeId}::uuid AND e."sequence" > ${cursor.toString()}::bigint
    ORDER BY e."sequence"
    LIMIT ${limit}::int`);
  const first = rows[0];
  if (!first) return { events: 0, lastSequence: cursor, rebuilt: false };
  // Events the outbox no longer keeps (pruned before this store's rollups caught up) cannot be applied.
  if (BigInt(first.sequence) !== cursor + 1n) return rebuilt(sql, storeId);
  const events = rows.map((row) => toStoreEvent(storeId, row));
  const deltas = emptyDeltas();
  try {
    for (const event of events) addEvent(deltas, event, first.zone);
  } catch (error) {
    if (error instanceof UnreadableEvent) return rebuilt(sql, storeId);
    throw error;
  }
  await writeDeltas(sql, storeId, deltas);
  const last = events[events.length - 1] as StoreEvent;
  await sql(Prisma.sql`
    UPDATE "AnalyticsCursor" SET "lastSequence" = ${last.sequence.toString()}::bigint, "lastEventAt" = ${last.createdAt.toISOString()}::timestamptz,
           "updatedAt" = CURRENT_TIMESTAMP
    WHERE "storeId" = ${storeId}::uuid`);
  return { events: events.length, lastSequence: last.sequence, rebuilt: false };
}

async function rebuilt(sql: RunSql, storeId: string): Promise<BatchResult> {
  const lastSequence = await rebuildInTransaction(sql, storeId);
  return { events: 0, lastSequence, rebuilt: true };
}

function toStoreEvent(storeId: string, row: EventRow): StoreEvent {
  return {
    id: BigInt(row.id),
    storeId,
    sequence: BigInt(row.sequence),
    type: row.type,
    aggregateType: row.aggregateType,
    aggregateId: row.aggregateId,
    payload: row.payload,
    createdAt: new Date(row.createdAt),
  };
}
