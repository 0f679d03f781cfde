// The analytics consumer (DESIGN §14): keeps each store's rollups up to its outbox, one tenant
// transaction per batch of its events (rollup-batch.ts). It runs beside the outbox relay, one per
// deployment or more (batches of a store take turns on its cursor row): StoreCatchUpLoop wakes it
// by the events the bus fans out and polls for stores whose cursor is behind, which also covers
// events the bus lost and stores it has never seen.
import pg from 'pg';
import { Prisma, type PrismaClient } from '@commerce/database';
import { StoreCatchUpLoop, type EventBus } from '@commerce/events';
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
  private session: pg.Client | null = null;
  private database: StoreSql;
  private readonly loop: StoreCatchUpLoop;
  private started = false;

  constructor(private readonly options: AnalyticsConsumerOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.database = poolSql(options.prisma);
    this.loop = new StoreCatchUpLoop({
      catchUp: (storeId) => this.catchUp(storeId),
      storesBehind: async () => {
        const stores = await this.database.read<{ storeId: string }>(
          Prisma.sql`SELECT "storeId" FROM app_stores_with_analytics_behind(${STORES_PER_POLL}::int)`,
        );
        return stores.map((store) => store.storeId);
      },
      bus: options.bus,
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
      onError: (error, storeId) =>
        logger.error(
          { err: error, storeId: storeId ?? undefined },
          storeId ? 'analytics consumer: a batch failed' : 'analytics consumer: looking for stores behind failed',
        ),
    });
  }

  /** Stores found behind their events at the last poll (the lag metric); 0 before the first. */
  get storesBehind(): number {
    return this.loop.storesBehind;
  }

  /** Starts listening and polling; resolves once listening to the bus. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
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
    await this.loop.start();
  }

  /** Stops; a batch under way finishes first. */
  async stop(): Promise<void> {
    this.started = false;
    await this.loop.stop();
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
}
