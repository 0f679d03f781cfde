import pg from 'pg';
import { inScope, OneAtATime, type PrismaClient } from '@commerce/database';
import { logger } from '@commerce/observability';
import type { EventBus } from './bus.js';
import type { StoreEvent } from './event.js';
import type { EventType } from './outbox.js';
import { OUTBOX_CHANNEL, wakeOnOutboxCommit } from './outbox-wake.js';

/**
 * Relays take turns under this transaction-level advisory lock: one reads, publishes and marks a
 * batch while the others wait for their next wake-up, so no batch goes out twice at once and a
 * store's events go out in order. Any number of relays may run against one database.
 */
const RELAY_LOCK = 'commerce:outbox-relay';

export interface OutboxRelayOptions {
  /** The app role's client, used while the relay has no connection of its own. */
  prisma: PrismaClient;
  bus: EventBus;
  /**
   * The app role's connection string: the relay keeps one connection of its own for
   * LISTEN outbox_event (wake-ups from processes without a relay) and its reads and writes (off
   * the services' pool and their statement counts). Without it the relay works through `prisma`.
   */
  connectionString?: string | null;
  /**
   * Whether commits through `prisma` in this process that wrote events wake the relay at once
   * (outbox-wake.ts). Default true; off, it finds them by polling alone.
   */
  wakeOnCommit?: boolean;
  /** How often to look for events without being woken (the bound when a wake-up is lost). Default 1,000 ms. */
  pollIntervalMs?: number;
  /** Events per read. Default 500. */
  batchSize?: number;
  /** How long published events are kept for replay. Default 7 days. */
  retentionMs?: number;
  /** How often published events past retention are deleted. Default 15 minutes. */
  pruneIntervalMs?: number;
}

interface OutboxRow {
  id: bigint | string;
  storeId: string;
  sequence: bigint | string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: unknown;
  createdAt: Date | string;
}

/** Runs one statement ($1, $2 … placeholders) in the current transaction. */
type Sql = <Row>(text: string, values: unknown[]) => Promise<Row[]>;

const PRUNE_BATCH = 5_000;
const RECONNECT_MS = 1_000;
/**
 * A woken relay that finds another holding the turn tries again this often, this many times: the
 * other may have read the outbox before the commit that woke this one.
 */
const BUSY_RETRY_MS = 25;
const BUSY_RETRIES = 8;

/**
 * The outbox relay (DESIGN §8): publishes committed outbox rows to the event bus, in sequence order
 * per store, then marks them published. It polls the outbox, reading each store's unpublished
 * events by sequence, and is woken early by commits that wrote events (outbox-wake.ts). If it dies
 * between publishing and marking, the next pass publishes the batch again: delivery is at least
 * once, and subscribers drop what they have seen by sequence.
 */
export class OutboxRelay {
  readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly retentionMs: number;
  private readonly pruneIntervalMs: number;
  /** The relay's own connection (LISTEN, batches, pruning), when it has one. */
  private session: pg.Client | null = null;
  /** Work on the session, one transaction after another. */
  private sessionWork = new OneAtATime();
  private timers: NodeJS.Timeout[] = [];
  private reconnectTimer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private stopWakeUps: (() => void) | null = null;
  /** Tries left after finding the turn held since the last wake-up. */
  private busyRetries = 0;
  private busyRetry: NodeJS.Timeout | null = null;
  private lastPass = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.pollIntervalMs = Math.max(options.pollIntervalMs ?? 1_000, 10);
    this.batchSize = options.batchSize ?? 500;
    this.retentionMs = options.retentionMs ?? 7 * 24 * 3_600_000;
    this.pruneIntervalMs = options.pruneIntervalMs ?? 15 * 60_000;
  }

  /**
   * When the relay last made a pass (Date.now()): published events, found none, or found another
   * relay holding the turn. 0 before the first. A pass that failed does not count.
   */
  get lastPassAt(): number {
    return this.lastPass;
  }

  /** Starts listening and polling; resolves once LISTEN is in place (when configured). */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.options.connectionString) await this.connect(this.options.connectionString);
    if (this.options.wakeOnCommit !== false)
      this.stopWakeUps = wakeOnOutboxCommit(this.options.prisma, () => this.wake());
    this.timers.push(setInterval(() => this.poll(), this.pollIntervalMs).unref());
    this.timers.push(
      setInterval(
        () => void this.prune().catch((error: unknown) => logger.error({ err: error }, 'outbox relay: pruning failed')),
        this.pruneIntervalMs,
      ).unref(),
    );
    this.wake();
  }

  /** Stops; an ongoing pass finishes first. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopWakeUps?.();
    this.stopWakeUps = null;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    if (this.busyRetry) clearTimeout(this.busyRetry);
    this.busyRetry = null;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    await this.running;
    await this.sessionWork.settled();
    const session = this.session;
    this.session = null;
    await session?.end().catch(() => undefined);
  }

  /**
   * One batch: publishes up to batchSize unpublished events and marks them. The batch holds, of
   * each store it serves, its oldest unpublished events in sequence order with none left out
   * (app_outbox_unpublished), whatever order ids have across stores. Returns how many it
   * published, or 'busy' when another relay holds the turn.
   */
  async publishBatch(): Promise<number | 'busy'> {
    return this.transaction(async (sql) => {
      const [turn] = await sql<{ acquired: boolean }>('SELECT pg_try_advisory_xact_lock(hashtext($1)) AS acquired', [
        RELAY_LOCK,
      ]);
      if (!turn?.acquired) return 'busy' as const;
      const rows = await sql<OutboxRow>('SELECT * FROM app_outbox_unpublished($1::integer)', [this.batchSize]);
      if (rows.length === 0) return 0;
      const events = rows.map(toStoreEvent);
      await this.options.bus.publish(events);
      await sql('SELECT app_outbox_mark_published($1::uuid[], $2::bigint[])', [
        events.map((event) => event.storeId),
        events.map((event) => event.id.toString()),
      ]);
      return rows.length;
    });
  }

  /** Publishes everything unpublished now (waiting its turn); resolves with how many events this relay published. */
  async publishPending(): Promise<number> {
    let published = 0;
    for (;;) {
      const result = await this.publishBatch();
      if (result === 'busy') {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      published += result;
      if (result < this.batchSize) return published;
    }
  }

  /** Deletes published events older than the retention; returns how many. */
  async prune(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const [row] = await this.transaction((sql) =>
        sql<{ deleted: number }>(
          'SELECT app_outbox_prune(make_interval(secs => $1::double precision), $2::integer) AS deleted',
          [this.retentionMs / 1000, PRUNE_BATCH],
        ),
      );
      const count = Number(row?.deleted ?? 0);
      deleted += count;
      if (count < PRUNE_BATCH) return deleted;
    }
  }

  /** A transaction on the relay's own connection, or through the pool while it has none. */
  private transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const session = this.session;
    if (!session) {
      return inScope(this.options.prisma, {}, (tx) => work((text, values) => tx.$queryRawUnsafe(text, ...values)), {
        timeout: 30_000,
      });
    }
    return this.sessionWork.run(async () => {
      await session.query('BEGIN');
      try {
        const result = await work(async (text, values) => (await session.query(text, values)).rows);
        await session.query('COMMIT');
        return result;
      } catch (error) {
        await session.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** A wake-up (a commit that wrote events, a notification): a pass now, or right after the current one. */
  private wake(): void {
    this.busyRetries = BUSY_RETRIES;
    this.schedule();
  }

  /** The poll: a pass now, or right after the current one. */
  private poll(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = null;
    });
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      let result: number | 'busy';
      try {
        result = await this.publishBatch();
      } catch (error) {
        // The batch is not marked: the next pass (a poll at the latest) publishes it again.
        logger.error({ err: error }, 'outbox relay: publishing failed');
        return;
      }
      this.lastPass = Date.now();
      if (result === this.batchSize) this.again = true;
      // The relay holding the turn may have read the outbox before the commit that woke this one:
      // look again shortly rather than at the next poll.
      if (result === 'busy' && !this.again && this.busyRetries > 0 && !this.busyRetry) {
        this.busyRetries -= 1;
        this.busyRetry = setTimeout(() => {
          this.busyRetry = null;
          this.schedule();
        }, BUSY_RETRY_MS).unref();
      }
    } while (this.again && !this.stopped);
  }

  private async connect(connectionString: string): Promise<void> {
    const client = new pg.Client({ connectionString });
    client.on('notification', () => this.wake());
    client.on('error', (error) => {
      logger.error(
        { reason: error.message },
        'outbox relay: its connection failed; polling through the pool until it is back',
      );
      this.drop(client);
    });
    client.on('end', () => this.drop(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.session = client;
    this.sessionWork = new OneAtATime();
  }

  private drop(client: pg.Client): void {
    if (this.session !== client) return;
    this.session = null;
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const connectionString = this.options.connectionString;
    if (this.stopped || !connectionString || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect(connectionString).then(
        // Notifications sent while the connection was down are lost: look for their events now.
        () => this.wake(),
        (error: unknown) => {
          logger.error({ err: error }, 'outbox relay: could not connect again');
          this.scheduleReconnect();
        },
      );
    }, RECONNECT_MS);
    this.reconnectTimer.unref();
  }
}

function toStoreEvent(row: OutboxRow): StoreEvent {
  return {
    id: BigInt(row.id),
    storeId: row.storeId,
    sequence: BigInt(row.sequence),
    type: row.type as EventType,
    aggregateType: row.aggregateType,
    aggregateId: row.aggregateId,
    payload: row.payload,
    createdAt: new Date(row.createdAt),
  };
}
