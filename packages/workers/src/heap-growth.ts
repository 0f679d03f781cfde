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
 * One full garbage collection soon after a process starts serving. Building the schemas, the
 * supergraph and its planner leaves 5 to 15 MB of garbage in the old generation, which V8 would
 * otherwise give back only when its memory reducer finds the process idle, some 20 to 30 s later,
 * or at the first full collection under load. `gc` is not exposed to the application: it is
 * taken from a context made while `--expose-gc` is set, and the flag is cleared again.
 */
export function collectStartupGarbage(delayMs = STARTUP_COLLECTION_DELAY_MS): void {
  setTimeout(() => {
    v8.setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    v8.setFlagsFromString('--no-expose-gc');
    gc();
  }, delayMs).unref();
}
