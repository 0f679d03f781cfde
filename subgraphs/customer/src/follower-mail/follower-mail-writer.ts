// The follower mail writer: tells a store's followers of its new products. It consumes the
// committed outbox as the analytics consumer does (DESIGN §14): a cursor per store, one tenant
// transaction per batch of events (follower-mail-batch.ts), stores found by StoreCatchUpLoop
// (woken by product.published on the bus, polling for stores whose cursor is behind). It runs
// beside the outbox relay; any number may run, as batches of a store take turns on its cursor
// row. It only writes mails: the mail senders deliver them.
import { inScope, Prisma, queryOnPool, runUncounted, type Database } from '@commerce/database';
import { StoreCatchUpLoop, type EventBus } from '@commerce/events';
import { logger } from '@commerce/observability';
import { writeFollowerMailBatch } from './follower-mail-batch.js';

export interface FollowerMailWriterOptions {
  /** The app role's database: the look for stores behind goes to its pool (queryOnPool), batches through Prisma. */
  database: Database;
  /** Wakes the writer as products are published. */
  bus?: EventBus;
  /** Where storefronts live (STOREFRONT_URL, "{store}" standing for the slug): the mails' product links. */
  storefrontUrl: string;
  /** How often to look for stores behind. Default 1,000 ms. */
  pollIntervalMs?: number;
  /** Events per batch. Default 500. */
  batchSize?: number;
}

/** Stores looked at per poll at most; the next poll takes the rest. */
const STORES_PER_POLL = 1_000;

export class FollowerMailWriter {
  private readonly batchSize: number;
  private readonly loop: StoreCatchUpLoop;

  constructor(private readonly options: FollowerMailWriterOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.loop = new StoreCatchUpLoop({
      catchUp: (storeId) => this.catchUp(storeId),
      storesBehind: async () => {
        const stores = await queryOnPool<{ storeId: string }>(
          options.database,
          Prisma.sql`SELECT "storeId"::text AS "storeId" FROM app_stores_with_follower_mail_behind(${STORES_PER_POLL}::int)`,
        );
        return stores.map((store) => store.storeId);
      },
      bus: options.bus,
      wakesOn: (event) => event.type === 'product.published',
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
      // Background work of no request: an event published after a request's commit would otherwise
      // wake this inside that request's statement count.
      run: (work) => void runUncounted(async () => work()),
      onError: (error, storeId) =>
        logger.error(
          { err: error, storeId },
          storeId ? 'follower mail: a batch failed' : 'follower mail: looking for stores behind failed',
        ),
    });
  }

  /** Starts listening and polling; resolves once listening to the bus. */
  start(): Promise<void> {
    return this.loop.start();
  }

  /** Stops; a batch under way finishes first. */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** Writes the mails of every event of the store committed so far; resolves with how many mails. */
  async catchUp(storeId: string): Promise<number> {
    let mails = 0;
    for (;;) {
      const batch = await inScope(this.options.database.prisma, { storeId }, (tx) =>
        writeFollowerMailBatch(tx, storeId, { limit: this.batchSize, storefrontUrl: this.options.storefrontUrl }),
      );
      mails += batch.mails;
      if (batch.events < this.batchSize) return mails;
    }
  }
}
