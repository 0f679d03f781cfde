// The follower mail writer: tells a store's followers of its new products. It consumes the
// committed outbox as the analytics consumer and the webhook dispatcher do (DESIGN §14): a cursor
// per store, one tenant transaction per batch of events (follower-mail-batch.ts), woken by the
// events the bus fans out and polling for stores whose cursor is behind, which also covers events
// the bus lost. It runs beside the outbox relay; any number may run, as batches of a store take
// turns on its cursor row. It only writes mails: the mail senders deliver them.
import { inScope, Prisma, runUncounted, type PrismaClient } from '@commerce/database';
import type { EventBus } from '@commerce/events';
import { logger } from '@commerce/observability';
import { writeFollowerMailBatch } from './follower-mail-batch.js';

export interface FollowerMailWriterOptions {
  /** The app role's client. */
  prisma: PrismaClient;
  /** Wakes the writer as events are published. */
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
  private readonly pollIntervalMs: number;
  private readonly pending = new Set<string>();
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = true;
  private polling = false;

  constructor(private readonly options: FollowerMailWriterOptions) {
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = Math.max(options.pollIntervalMs ?? 1_000, 10);
  }

  /** Starts listening and polling; resolves once listening to the bus. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    // Background work of no request: an event published after a request's commit would otherwise
    // wake this inside that request's statement count.
    const uncounted = (work: () => unknown) => void runUncounted(async () => work());
    this.unsubscribe =
      (await this.options.bus?.subscribeAll({
        onEvent: (event) => {
          if (event.type === 'product.published') uncounted(() => this.wake(event.storeId));
        },
        onResync: () => uncounted(() => this.poll()),
      })) ?? null;
    this.timer = setInterval(() => uncounted(() => this.poll()), this.pollIntervalMs);
    this.timer.unref();
    uncounted(() => this.poll());
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
  }

  /** Writes the mails of every event of the store committed so far; resolves with how many mails. */
  async catchUp(storeId: string): Promise<number> {
    let mails = 0;
    for (;;) {
      const batch = await inScope(this.options.prisma, { storeId }, (tx) =>
        writeFollowerMailBatch(tx, storeId, { limit: this.batchSize, storefrontUrl: this.options.storefrontUrl }),
      );
      mails += batch.mails;
      if (batch.events < this.batchSize) return mails;
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
        logger.error({ err: error, storeId }, 'follower mail: a batch failed');
      }
      if (this.stopped) return;
    }
  }

  private poll(): void {
    if (this.stopped || this.polling) return;
    this.polling = true;
    this.options.prisma
      .$queryRaw<{ storeId: string }[]>(
        Prisma.sql`SELECT "storeId"::text AS "storeId" FROM app_stores_with_follower_mail_behind(${STORES_PER_POLL}::int)`,
      )
      .then((stores) => {
        for (const { storeId } of stores) this.wake(storeId);
      })
      .catch((error: unknown) => {
        if (!this.stopped) logger.error({ err: error }, 'follower mail: looking for stores behind failed');
      })
      .finally(() => {
        this.polling = false;
      });
  }
}
