import v8 from 'node:v8';
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
