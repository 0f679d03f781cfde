import type { PrismaClient } from '@commerce/database';
import type { EventBus } from './bus.js';
import type { StoreEvent } from './event.js';
import type { EventType } from './outbox.js';
import { lastCommittedSequence, readStoreOutbox } from './outbox-read.js';
import { PushQueue } from './push-queue.js';

export type EventStreamErrorCode = 'SEQUENCE_EXPIRED' | 'SEQUENCE_AHEAD' | 'SLOW_CONSUMER';

/** Why a stream could not start or had to stop; the message says what the client can do. */
export class EventStreamError extends Error {
  constructor(
    readonly code: EventStreamErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface StoreEventStreamOptions {
  bus: EventBus;
  /** The app role's client: the outbox is read in the store's tenant scope. */
  prisma: PrismaClient;
  storeId: string;
  /** Replay the store's events after this sequence before live ones; null for live events only. */
  afterSequence: bigint | null;
  /** The event types wanted (also the filter of outbox reads). */
  types: readonly EventType[];
  /** Narrows the wanted events further, e.g. to one product's. */
  matches?: (event: StoreEvent) => boolean;
  /** Events waiting to be consumed (or to be processed) before the stream gives up on its consumer. Default 10,000. */
  maxPending?: number;
  /** Rows per outbox read. Default 500. */
  pageSize?: number;
}

type Inbox = StoreEvent | 'resync';

/**
 * One store's events, each wanted event exactly once and in sequence order, however the bus
 * behaves: it listens on the bus before it reads the outbox (so nothing falls between the replay
 * and the live events), drops what it has already accounted for (duplicates, replayed events
 * arriving live), and reads gaps back from the outbox (messages the transport lost).
 */
class StoreEventStream implements AsyncIterableIterator<StoreEvent> {
  /** Every event of the store up to here has been delivered or deliberately skipped. */
  private last = 0n;
  private readonly inbox: Inbox[] = [];
  /** Events ready for the consumer. */
  private readonly out = new PushQueue<StoreEvent>();
  private closed = false;
  private processing = false;
  private unsubscribe: (() => void) | null = null;
  private readonly matches: (event: StoreEvent) => boolean;
  private readonly maxPending: number;
  private readonly pageSize: number;

  constructor(private readonly options: StoreEventStreamOptions) {
    const types = new Set<string>(options.types);
    const narrow = options.matches;
    this.matches = (event) => types.has(event.type) && (!narrow || narrow(event));
    this.maxPending = options.maxPending ?? 10_000;
    this.pageSize = options.pageSize ?? 500;
  }

  async open(): Promise<void> {
    this.unsubscribe = await this.options.bus.subscribe(this.options.storeId, {
      onEvent: (event) => this.receive(event),
      onResync: () => this.receive('resync'),
    });
    this.processing = true;
    try {
      await this.replay();
    } catch (error) {
      this.close();
      throw error;
    } finally {
      this.processing = false;
    }
    void this.drain();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<StoreEvent>> {
    return this.out.next();
  }

  return(): Promise<IteratorResult<StoreEvent>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<StoreEvent>> {
    this.close();
    return Promise.reject(error);
  }

  /** The initial read: the requested replay, or just where live events start. */
  private async replay(): Promise<void> {
    const { afterSequence, prisma, storeId } = this.options;
    if (afterSequence === null) {
      this.last = await lastCommittedSequence(prisma, storeId);
      return;
    }
    const first = await readStoreOutbox(prisma, storeId, {
      after: afterSequence,
      types: this.options.types,
      limit: this.pageSize,
    });
    if (afterSequence > first.lastCommitted) {
      throw new EventStreamError(
        'SEQUENCE_AHEAD',
        `afterSequence ${afterSequence} is past the store's last event (${first.lastCommitted}).`,
      );
    }
    if (afterSequence < first.lastCommitted && (first.oldestKept === null || first.oldestKept > afterSequence + 1n)) {
      throw new EventStreamError(
        'SEQUENCE_EXPIRED',
        `The store's events after sequence ${afterSequence} are no longer kept; subscribe without afterSequence and reload what you show.`,
      );
    }
    this.last = afterSequence;
    this.acceptPage(first.events);
    if (first.events.length === this.pageSize) await this.fill(first.lastCommitted);
    else if (first.lastCommitted > this.last) this.last = first.lastCommitted;
  }

  /** Reads the store's events after `last` up to `upTo` (default: the last committed one) back from the outbox. */
  private async fill(upTo?: bigint): Promise<void> {
    let end = upTo;
    for (;;) {
      const result = await readStoreOutbox(this.options.prisma, this.options.storeId, {
        after: this.last,
        upTo: end,
        types: this.options.types,
        limit: this.pageSize,
      });
      end ??= result.lastCommitted;
      this.acceptPage(result.events);
      if (result.events.length < this.pageSize) {
        // Everything up to `end` is accounted for, including the events of other types.
        if (end > this.last) this.last = end;
        return;
      }
    }
  }

  private acceptPage(events: StoreEvent[]): void {
    for (const event of events) this.accept(event);
  }

  private accept(event: StoreEvent): void {
    this.last = event.sequence;
    if (!this.matches(event)) return;
    this.out.push(event);
    if (this.out.size > this.maxPending) {
      this.fail(
        new EventStreamError(
          'SLOW_CONSUMER',
          `More than ${this.maxPending} events waited for this subscription; resubscribe with afterSequence.`,
        ),
      );
    }
  }

  private receive(item: Inbox): void {
    if (this.closed) return;
    this.inbox.push(item);
    if (this.inbox.length > this.maxPending) {
      this.fail(
        new EventStreamError(
          'SLOW_CONSUMER',
          `More than ${this.maxPending} events waited for this subscription; resubscribe with afterSequence.`,
        ),
      );
      return;
    }
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (!this.closed) {
        const item = this.inbox.shift();
        if (item === undefined) break;
        if (item === 'resync') {
          await this.fill();
          continue;
        }
        if (item.sequence <= this.last) continue;
        if (item.sequence > this.last + 1n) await this.fill(item.sequence - 1n);
        if (item.sequence > this.last) this.accept(item);
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.processing = false;
    }
  }

  /** Ends the stream with an error, after the events the consumer has not read yet. */
  private fail(error: unknown): void {
    if (this.closed) return;
    this.out.end(error);
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.out.end();
    this.inbox.length = 0;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}

/**
 * Opens a lossless stream of one store's events: the replay after `afterSequence` (if given),
 * then live events, with no gap and no duplicate. Throws EventStreamError when the replay cannot
 * be served (events pruned, or a sequence the store has not reached).
 */
export async function openStoreEventStream(
  options: StoreEventStreamOptions,
): Promise<AsyncIterableIterator<StoreEvent> & { return(): Promise<IteratorResult<StoreEvent>> }> {
  const stream = new StoreEventStream(options);
  await stream.open();
  return stream;
}
