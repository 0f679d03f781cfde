// The analytics consumer (DESIGN §14): keeps each store's rollups up to its outbox, one tenant
// transaction per batch of its events (rollup-batch.ts). It runs beside the outbox relay, one per
// deployment or more (batches of a store take turns on its cursor row): woken by the events the
// bus fans out, and polling for stores whose cursor is behind, which also covers events the bus
// lost and stores it has never seen.
import pg from 'pg';
import { Prisma, type PrismaClient } from '@commerce/database';
import type { EventBus } from '@commerce/events';
import { logger } from '@commerce/observability';
import { applyBatch, type BatchResult } from './rollup-batch.js';
import { poolSql, sessionSql, type StoreSql } from './store-sql.js';

export interface AnalyticsConsumerOptions {
  /** The app role's client, used while the consumer has no connection of its own. */
  prisma: PrismaClient;
  /** Wakes the consumer as events are published. */
  bus?: EventBus;
  /** The app role's URL: batches run on a connection of their own (off the pool and the statement counts). */
  connectionString?: string | null;
  /** How often to look for stores behind. Default 1,000 ms. */
  pollIntervalMs?: number;
  /** Events per batch. Default 500. */
  batchSize?: number;
}

/** Stores looked at per poll at most; the next poll takes the rest. */
const STORES_PER_POLL = 1_000;

export class AnalyticsConsumer {
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly pending = new Set<string>();
  private session: pg.Client | null = null;
  private database: StoreSql;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = true;
  private polling = false;
  private behind = 0;

  constructor(private readonly options: AnalyticsConsumerOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = Math.max(options.pollIntervalMs ?? 1_000, 10);
    this.database = poolSql(options.prisma);
  }

  /** Stores found behind their events at the last poll (the lag metric); 0 before the first. */
  get storesBehind(): number {
    return this.behind;
  }

  /** Starts listening and polling; resolves once listening to the bus. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    if (this.options.connectionString) {
      const client = new pg.Client({ connectionString: this.options.connectionString });
      client.on('error', (error) => {
        logger.error({ reason: error.message }, 'analytics consumer: its connection failed; using the pool');
        this.database = poolSql(this.options.prisma);
        this.session = null;
        client.end().catch(() => undefined);
      });
      await client.connect();
      this.session = client;
      this.database = sessionSql(client);
    }
    this.unsubscribe =
      (await this.options.bus?.subscribeAll({
        onEvent: (event) => this.wake(event.storeId),
        onResync: () => this.poll(),
      })) ?? null;
    this.timer = setInterval(() => this.poll(), this.pollIntervalMs);
    this.timer.unref();
    this.poll();
  }

  /** Stops; a batch under way finishes first. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.pending.clear();
    await this.running;
    const session = this.session;
    this.session = null;
    await session?.end().catch(() => undefined);
  }

  /** Applies every event of the store committed so far; resolves with how many. */
  async catchUp(storeId: string): Promise<number> {
    let applied = 0;
    for (;;) {
      const batch: BatchResult = await this.database.transaction(storeId, (sql) =>
        applyBatch(sql, storeId, this.batchSize),
      );
      if (batch.rebuilt)
        logger.warn({ storeId }, 'analytics consumer: events were missing or unreadable; rebuilt the store');
      applied += batch.events;
      if (batch.events < this.batchSize) return applied;
    }
  }

  private wake(storeId: string): void {
    if (this.stopped) return;
    this.pending.add(storeId);
    this.schedule();
  }

  /** Drains the stores woken, one at a time; stores woken meanwhile join the drain under way or start the next. */
  private schedule(): void {
    if (this.running || this.stopped || this.pending.size === 0) return;
    this.running = this.drain().finally(() => {
      this.running = null;
      this.schedule();
    });
  }

  private async drain(): Promise<void> {
    for (const storeId of this.pending) {
      this.pending.delete(storeId);
      try {
        await this.catchUp(storeId);
      } catch (error) {
        // The cursor did not move: the next poll finds the store behind and tries again.
        logger.error({ err: error, storeId }, 'analytics consumer: a batch failed');
      }
      if (this.stopped) return;
    }
  }

  private poll(): void {
    if (this.stopped || this.polling) return;
    this.polling = true;
    this.database
      .read<{ storeId: string }>(
        Prisma.sql`SELECT "storeId" FROM app_stores_with_analytics_behind(${STORES_PER_POLL}::int)`,
      )
      .then((stores) => {
        this.behind = stores.length;
        for (const { storeId } of stores) this.wake(storeId);
      })
      .catch((error: unknown) => {
        // A look sent as the consumer stops fails with its connection: nothing to report.
        if (!this.stopped) logger.error({ err: error }, 'analytics consumer: looking for stores behind failed');
      })
      .finally(() => {
        this.polling = false;
      });
  }
}
