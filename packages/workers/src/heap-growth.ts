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

/** How long after it starts serving a process collects what its start-up left (collectStartupGarbage). */
const STARTUP_COLLECTION_DELAY_MS = 1_000;
/**
 * How long after that it collects once more, to give back its young generation: V8 shrinks it at a
 * full collection that finds little allocated over the past 5 s, which a process waiting for
 * traffic has by then.
 */
const YOUNG_GENERATION_COLLECTION_DELAY_MS = 5_500;

/**
 * Two full garbage collections once a process serves. The first, soon after it starts serving,
 * gives back what building the schemas, the supergraph and its planner left (5 to 15 MB of garbage
 * in the old generation) and compacts the old generation's pages it leaves half empty. The second,
 * once the process has allocated little for a while, lets V8 shrink the young generation that the
 * start-up grew to its largest (8 MB with the image's `--max-semi-space-size=4`, 32 MB with V8's
 * default), down to 1 MB. V8's memory reducer does both on its own, but only when it finds the
 * process idle 15 to 30 s later. A process busy by then keeps its young generation, as it should.
 * The compaction lengthens that one pause: 266-286 ms against about 65 ms for a `pnpm start`
 * worker's 75 MB heap (`node --trace-gc`), once, about 1 s after it serves. V8's memory reducer
 * compacts an idle process too, only later.
 * `gc` is not exposed to the application: it is taken from a context made while `--expose-gc` is
 * set, and the flag is cleared again; so is the compaction flag around the first collection.
 */
export function collectStartupGarbage(
  delayMs = STARTUP_COLLECTION_DELAY_MS,
  youngGenerationDelayMs = YOUNG_GENERATION_COLLECTION_DELAY_MS,
): void {
  setTimeout(() => {
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    v8.setFlagsFromString('--no-expose-gc');
    v8.setFlagsFromString('--compact-on-every-full-gc');
    try {
      gc();
    } finally {
      v8.setFlagsFromString('--no-compact-on-every-full-gc');
    }
    setTimeout(gc, youngGenerationDelayMs).unref();
  }, delayMs).unref();
}
