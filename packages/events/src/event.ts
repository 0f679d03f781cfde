import type { EventType } from './outbox.js';

/** A committed outbox event as the relay publishes it and subscribers receive it. */
export interface StoreEvent {
  /** The outbox row's id. */
  id: bigint;
  storeId: string;
  /** Position in the store's gap-free event sequence. */
  sequence: bigint;
  type: EventType;
  aggregateType: string;
  aggregateId: string;
  payload: unknown;
  /** When the event's transaction wrote it. */
  createdAt: Date;
}

interface WireEvent {
  id: string;
  storeId: string;
  sequence: string;
  type: EventType;
  aggregateType: string;
  aggregateId: string;
  payload: unknown;
  createdAt: string;
}

/** The JSON an event travels as between processes (64-bit numbers as strings). */
export function serializeEvent(event: StoreEvent): string {
  const wire: WireEvent = {
    id: event.id.toString(),
    storeId: event.storeId,
    sequence: event.sequence.toString(),
    type: event.type,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    payload: event.payload,
    createdAt: event.createdAt.toISOString(),
  };
  return JSON.stringify(wire);
}

/** Reads serializeEvent's JSON back; throws on anything else. */
export function parseEvent(text: string): StoreEvent {
  const wire = JSON.parse(text) as Partial<WireEvent>;
  if (
    typeof wire.storeId !== 'string' ||
    typeof wire.sequence !== 'string' ||
    typeof wire.id !== 'string' ||
    typeof wire.type !== 'string'
  ) {
    throw new Error(`not a store event: ${text.slice(0, 200)}`);
  }
  return {
    id: BigInt(wire.id),
    storeId: wire.storeId,
    sequence: BigInt(wire.sequence),
    type: wire.type,
    aggregateType: String(wire.aggregateType),
    aggregateId: String(wire.aggregateId),
    payload: wire.payload ?? null,
    createdAt: new Date(String(wire.createdAt)),
  };
}
