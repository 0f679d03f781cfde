/**
 * A numeric setting from the environment: the fallback when unset or blank; a malformed or too
 * small value stops the process at start with a message naming the variable.
 */
export function numberSetting(name: string, value: string | undefined, fallback: number, { min = 0, whole = false }: { min?: number; whole?: boolean } = {}): number {
  const text = value?.trim();
  if (!text) return fallback;
  const parsed = Number(text);
  if (!Number.isFinite(parsed) || parsed < min || (whole && !Number.isInteger(parsed))) {
    throw new Error(`${name} must be a ${whole ? 'whole number' : 'number'} of ${min} or more, not "${value}" (see .env.example)`);
  }
  return parsed;
}
