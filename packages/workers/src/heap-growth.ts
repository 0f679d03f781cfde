import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { numberSetting } from '@commerce/database';

/**
 * How far V8 lets the old generation grow past what its last full collection kept, in per cent
 * (NODE_HEAP_GROWING_PERCENT; V8's own heuristics, up to 4×, when unset). Under load a process
 * promotes requests' short-lived objects and the heap grows with them until the next full
 * collection; a lower percentage collects sooner: less memory held, more CPU in collections. The
 * image sets 75 (README, "Memory"). Node refuses this V8 option in NODE_OPTIONS, so each process
 * applies it as it starts; V8 reads it at every full collection.
 */
export function applyHeapGrowingPercent(
  value = process.env.NODE_HEAP_GROWING_PERCENT,
  setFlags: (flags: string) => void = v8.setFlagsFromString,
): number | null {
  const percent = numberSetting('NODE_HEAP_GROWING_PERCENT', value, 0, { min: 1, max: 1000, whole: true });
  if (percent === 0) return null;
  setFlags(`--heap-growing-percent=${percent}`);
  return percent;
}

/** How long after it starts serving a process first looks for a quiet stretch to collect in (collectStartupGarbage). */
const STARTUP_COLLECTION_DELAY_MS = 1_000;
/**
 * How long the second collection waits after the first, and after each stretch found busy: V8
 * shrinks the young generation at a full collection that finds little allocated over the past 5 s.
 */
const YOUNG_GENERATION_COLLECTION_DELAY_MS = 5_500;
/** A stretch counts as quiet when the event loop was busy for less than this share of it. */
const QUIET_UTILIZATION = 0.05;
/** How many stretches each collection looks at for a quiet one before it gives up. */
const QUIET_TRIES = 10;
/**
 * How many collections the young generation gets to shrink in. V8 decides from the allocations it
 * sampled at its last collections; a stretch quiet for the event loop may still have sampled the
 * start-up's, and the next one then will not.
 */
const YOUNG_GENERATION_TRIES = 4;
/** The young generation at most, in MB, once V8 has shrunk it (its two semi-spaces at their smallest). */
const SHRUNK_YOUNG_GENERATION_MB = 2;

function youngGenerationMegabytes(): number {
  const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  return (young?.space_size ?? 0) / 1_048_576;
}

/**
 * Two full garbage collections once a process serves, each made only in a quiet stretch (its event
 * loop busy less than 5 % of the time), so that no request waits for them:
 * - the first, in the first quiet second from 1 s after serving, gives back what building the
 *   schemas, the supergraph and its planner left (5 to 15 MB of garbage in the old generation) and
 *   compacts the old generation's pages it leaves half empty. The compaction lengthens that pause:
 *   0.2 to 0.4 s against about 60 ms for a `pnpm start` worker's 75 MB heap (`node --trace-gc`);
 * - the second, after a quiet 5.5 s, lets V8 shrink the young generation that the start-up grew to
 *   its largest (8 MB with the image's `--max-semi-space-size=4`, 32 MB with V8's default), down to
 *   1 MB; and again after each further quiet 5.5 s while V8 keeps it, four collections at most.
 * V8's memory reducer does both on its own, but only when it finds the process idle 15 to 30 s
 * later. A process that serves traffic from the start gets neither: its own collections will do.
 * `gc` is not exposed to the application: it is taken from a context made while `--expose-gc` is
 * set, and the flag is cleared again; so is the compaction flag around the first collection.
 */
export function collectStartupGarbage(
  delayMs = STARTUP_COLLECTION_DELAY_MS,
  youngGenerationDelayMs = YOUNG_GENERATION_COLLECTION_DELAY_MS,
): void {
  let since = performance.eventLoopUtilization();
  const quiet = (): boolean => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, since).utilization;
    since = now;
    return busy < QUIET_UTILIZATION;
  };
  const inQuietStretch = (everyMs: number, work: () => void, tries = QUIET_TRIES): void => {
    setTimeout(() => {
      if (quiet()) work();
      else if (tries > 1) inQuietStretch(everyMs, work, tries - 1);
    }, everyMs).unref();
  };
  inQuietStretch(delayMs, () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    v8.setFlagsFromString('--no-expose-gc');
    v8.setFlagsFromString('--compact-on-every-full-gc');
    try {
      gc();
    } finally {
      v8.setFlagsFromString('--no-compact-on-every-full-gc');
    }
    quiet();
    let youngTries = YOUNG_GENERATION_TRIES;
    const shrinkYoungGeneration = (): void => {
      gc();
      youngTries -= 1;
      if (youngGenerationMegabytes() > SHRUNK_YOUNG_GENERATION_MB && youngTries > 0)
        inQuietStretch(youngGenerationDelayMs, shrinkYoungGeneration);
    };
    inQuietStretch(youngGenerationDelayMs, shrinkYoungGeneration);
  });
}
