// How a consumer of the outbox finds the stores it has work for (the analytics consumer, the
// follower mail writer, the webhook dispatcher): woken per store by the events the bus fans out,
// and polling a cross-store look for stores whose cursor is behind, which also covers events the
// bus lost and stores it has never seen. Stores are caught up one at a time; a store woken meanwhile joins the drain under way.
// What catching up means (a cursor per store, one tenant transaction per batch) is the consumer's.
import type { EventBus } from './bus.js';
import type { StoreEvent } from './event.js';

export interface StoreCatchUpOptions {
  /** Brings one store up to its outbox. A failure is reported and left to the next poll. */
  catchUp: (storeId: string) => Promise<unknown>;
  /** The stores behind (a SECURITY DEFINER function of the platform). */
  storesBehind: () => Promise<string[]>;
  /** Wakes the loop as events are published. */
  bus?: EventBus;
  /** Which published events wake their store (default: every event). */
  wakesOn?: (event: StoreEvent) => boolean;
  /** How often to look for stores behind. At least 10 ms. */
  pollIntervalMs: number;
  /** Runs background work (e.g. outside any request's statement count); default: as is. */
  run?: (work: () => void) => void;
  /** Reports a failed catch-up or look (the loop carries on). */
  onError: (error: unknown, storeId: string | null) => void;
}

/** Wakes, polls and drains stores for an outbox consumer (see the top of this file). */
export class StoreCatchUpLoop {
  private readonly pending = new Set<string>();
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private stopped = true;
  private polling = false;
  private behind = 0;

  constructor(private readonly options: StoreCatchUpOptions) {}

  /** Stores found behind at the last poll; 0 before the first. */
  get storesBehind(): number {
    return this.behind;
  }

  /** Starts listening and polling; resolves once listening to the bus. */
  async start(): Promise<void> {
    if (!this.stopped) return;
    this.stopped = false;
    const run = this.options.run ?? ((work: () => void) => work());
    const wakesOn = this.options.wakesOn ?? (() => true);
    this.unsubscribe =
      (await this.options.bus?.subscribeAll({
        onEvent: (event) => {
          if (wakesOn(event)) run(() => this.wake(event.storeId));
        },
        onResync: () => run(() => this.poll()),
      })) ?? null;
    this.timer = setInterval(() => run(() => this.poll()), Math.max(this.options.pollIntervalMs, 10));
    this.timer.unref();
    run(() => this.poll());
  }

  /** Stops; a catch-up under way finishes first. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.pending.clear();
    await this.running;
  }

  /** Catches the store up soon (after the store under way, if any). */
  wake(storeId: string): void {
    if (this.stopped) return;
    this.pending.add(storeId);
    this.schedule();
  }

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
        await this.options.catchUp(storeId);
      } catch (error) {
        // The cursor did not move: the next poll finds the store behind and tries again.
        this.options.onError(error, storeId);
      }
      if (this.stopped) return;
    }
  }

  private poll(): void {
    if (this.stopped || this.polling) return;
    this.polling = true;
    this.options
      .storesBehind()
      .then((stores) => {
        this.behind = stores.length;
        for (const storeId of stores) this.wake(storeId);
      })
      .catch((error: unknown) => {
        // A look sent as the consumer stops fails with its connection: nothing to report.
        if (!this.stopped) this.options.onError(error, null);
      })
      .finally(() => {
        this.polling = false;
      });
  }
}
