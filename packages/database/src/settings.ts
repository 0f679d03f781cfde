/** A setting that is malformed, out of range or unusable (a port in use): its message names the variable and says what to do. */
export class SettingError extends Error {
  override name = 'SettingError';
}

/**
 * A numeric setting from the environment: the fallback when unset or blank; a malformed or out of
 * range value throws an error naming the variable. Read settings as the process starts (at module
 * load), so that a bad value stops it there rather than failing requests.
 */
export function numberSetting(
  name: string,
  value: string | undefined,
  fallback: number,
  { min = 0, max = Number.MAX_SAFE_INTEGER, whole = false }: { min?: number; max?: number; whole?: boolean } = {},
): number {
  const text = value?.trim();
  if (!text) return fallback;
  const parsed = Number(text);
  if (!Number.isFinite(parsed) || parsed < min || parsed > max || (whole && !Number.isInteger(parsed))) {
    const range = max === Number.MAX_SAFE_INTEGER ? `of ${min} or more` : `from ${min} to ${max}`;
    throw new SettingError(
      `${name} must be a ${whole ? 'whole number' : 'number'} ${range}, not "${value}" (see .env.example)`,
    );
  }
  return parsed;
}

/** A comma-separated list setting, its items trimmed and blanks dropped; the fallback when unset. */
export function listSetting(value: string | undefined, fallback: string[] = []): string[] {
  if (value === undefined) return fallback;
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** An on/off setting: true/false, on/off, 1/0; the fallback when unset or blank; anything else throws an error naming the variable. */
export function switchSetting(name: string, value: string | undefined, fallback: boolean): boolean {
  const text = value?.trim().toLowerCase();
  if (!text) return fallback;
  if (['true', 'on', '1'].includes(text)) return true;
  if (['false', 'off', '0'].includes(text)) return false;
  throw new SettingError(`${name} must be true or false, not "${value}" (see .env.example)`);
}

/** Connections per process to the database (DATABASE_POOL_SIZE, default 10). */
export function databasePoolSize(): number {
  return numberSetting('DATABASE_POOL_SIZE', process.env.DATABASE_POOL_SIZE, 10, { min: 1, whole: true });
}

/** The port a server listens on (PORT, else its default). */
export function portSetting(fallback: number): number {
  return numberSetting('PORT', process.env.PORT, fallback, { max: 65_535, whole: true });
}

/** The port of the embedded PostgreSQL that `pnpm start` runs without DATABASE_URL (EMBEDDED_POSTGRES_PORT, default 54329). */
export function embeddedPostgresPort(): number {
  return numberSetting('EMBEDDED_POSTGRES_PORT', process.env.EMBEDDED_POSTGRES_PORT, 54329, {
    min: 1,
    max: 65_535,
    whole: true,
  });
}
