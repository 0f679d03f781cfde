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

/** Connections per process to the database (DATABASE_POOL_SIZE, default 10). */
export function databasePoolSize(): number {
  return numberSetting('DATABASE_POOL_SIZE', process.env.DATABASE_POOL_SIZE, 10, { min: 1, whole: true });
}

/** The port a server listens on (PORT, else its default). */
export function portSetting(fallback: number): number {
  return numberSetting('PORT', process.env.PORT, fallback, { whole: true });
}

/** The port of the embedded PostgreSQL that `pnpm start` runs without DATABASE_URL (EMBEDDED_POSTGRES_PORT, default 54329). */
export function embeddedPostgresPort(): number {
  return numberSetting('EMBEDDED_POSTGRES_PORT', process.env.EMBEDDED_POSTGRES_PORT, 54329, { min: 1, whole: true });
}
