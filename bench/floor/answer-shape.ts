// Whether the floor answers a read in the same shape as the real graph: the same keys at every
// level, arrays of the same lengths, values of the same JSON types. Values themselves differ
// (ids, stock), but their sizes are close by construction (catalog-data.ts): the JSON of the
// floor's data may differ in length from the real data's by SIZE_TOLERANCE at most.

/** How far apart the lengths of the two answers' data may be, as a fraction of the real one's. */
const SIZE_TOLERANCE = 0.1;

/** A GraphQL answer as JSON. */
export interface Answer {
  data?: unknown;
  errors?: unknown[];
}

function kind(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function differences(real: unknown, floor: unknown, path: string, found: string[]): void {
  const [realKind, floorKind] = [kind(real), kind(floor)];
  if (realKind !== floorKind) {
    found.push(`${path}: ${realKind} in the real answer, ${floorKind} in the floor's`);
    return;
  }
  if (Array.isArray(real) && Array.isArray(floor)) {
    if (real.length !== floor.length)
      found.push(`${path}: ${real.length} items in the real answer, ${floor.length} in the floor's`);
    for (let index = 0; index < Math.min(real.length, floor.length); index++) {
      differences(real[index], floor[index], `${path}[${index}]`, found);
    }
    return;
  }
  if (realKind !== 'object') return;
  const realObject = real as Record<string, unknown>;
  const floorObject = floor as Record<string, unknown>;
  for (const key of new Set([...Object.keys(realObject), ...Object.keys(floorObject)])) {
    if (!(key in floorObject)) found.push(`${path}.${key}: only in the real answer`);
    else if (!(key in realObject)) found.push(`${path}.${key}: only in the floor's`);
    else differences(realObject[key], floorObject[key], `${path}.${key}`, found);
  }
}

/**
 * Where the floor's answer differs in shape or size from the real one (empty when they agree). Only `data`
 * is compared: `extensions` carry the real graph's own additions (the query cost), which a bare
 * gateway does not compute. Errors in either answer are differences.
 */
export function answerShapeDifferences(real: Answer, floor: Answer): string[] {
  const found: string[] = [];
  if (real.errors) found.push(`the real answer has errors: ${JSON.stringify(real.errors)}`);
  if (floor.errors) found.push(`the floor's answer has errors: ${JSON.stringify(floor.errors)}`);
  differences(real.data, floor.data, 'data', found);
  const [realSize, floorSize] = [JSON.stringify(real.data ?? null).length, JSON.stringify(floor.data ?? null).length];
  if (Math.abs(floorSize - realSize) > realSize * SIZE_TOLERANCE) {
    found.push(`data: ${realSize} characters in the real answer, ${floorSize} in the floor's`);
  }
  return found;
}
