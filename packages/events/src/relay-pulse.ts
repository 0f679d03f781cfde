// Whether a relay keeps feeding the bus. A storefront cache answers only while it hears of every
// change, so only while the relay that publishes them makes passes; in worker processes the relay
// runs in worker 1 alone, and the other workers hear of its passes as a pulse it sends them.
import { broadcast, onBroadcast } from '@commerce/workers';
import type { OutboxRelay } from './relay.js';

/** What a storefront cache needs to know of the relay that feeds its bus. */
export interface RelayPulse {
  /** When the relay last made a pass (Date.now()), 0 before its first. */
  readonly lastPassAt: number;
  readonly pollIntervalMs: number;
}

const TOPIC = 'relay-pass';

interface Pass {
  lastPassAt: number;
  pollIntervalMs: number;
}

/**
 * In the worker that runs the relay: tells every worker of its passes, at most twice per poll
 * interval and only when it made one since. Returns the function that stops it.
 */
export function announceRelayPasses(relay: OutboxRelay): () => void {
  let announced = 0;
  const timer = setInterval(() => {
    const lastPassAt = relay.lastPassAt;
    if (lastPassAt === announced) return;
    announced = lastPassAt;
    // A pulse lost (the primary going away) is a pulse missed: the others stop trusting in time.
    broadcast(TOPIC, { lastPassAt, pollIntervalMs: relay.pollIntervalMs } satisfies Pass).catch(() => undefined);
  }, relay.pollIntervalMs / 2);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * In a worker without the relay: the latest pass the relay's worker announced. The workers of one
 * primary share a machine, so its clock reads the same in each.
 */
export class AnnouncedRelayPulse implements RelayPulse {
  lastPassAt = 0;
  private readonly stopHearing: () => void;

  constructor(public pollIntervalMs: number) {
    this.stopHearing = onBroadcast(TOPIC, (payload) => {
      const pass = payload as Pass;
      this.lastPassAt = Math.max(this.lastPassAt, pass.lastPassAt);
      this.pollIntervalMs = pass.pollIntervalMs;
    });
  }

  close(): void {
    this.stopHearing();
  }
}
