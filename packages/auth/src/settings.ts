import { numberSetting, SettingError } from '@commerce/database';

/** How this process signs and checks tokens. */
export interface AuthSettings {
  /** The `iss` of the tokens it signs and accepts (AUTH_ISSUER). */
  issuer: string;
  /** Lifetime of access tokens (ACCESS_TOKEN_TTL_SECONDS, default 15 minutes). */
  accessTokenTtlSeconds: number;
  /** Lifetime of refresh tokens (REFRESH_TOKEN_TTL_SECONDS, default 30 days). */
  refreshTokenTtlMs: number;
  /** scrypt's cost N as a power of two for new password hashes (PASSWORD_HASH_COST, default 14: OWASP's, with r=8, p=5). */
  passwordHashCost: number;
}

/** OWASP's scrypt cost; lower costs are for test runs, which hash thousands of passwords. */
const PRODUCTION_PASSWORD_HASH_COST = 14;

/** The auth settings from the environment, validated (a SettingError names a malformed one). */
export function authSettingsFromEnvironment(): AuthSettings {
  return {
    issuer: process.env.AUTH_ISSUER ?? 'commerce-graph',
    accessTokenTtlSeconds: numberSetting('ACCESS_TOKEN_TTL_SECONDS', process.env.ACCESS_TOKEN_TTL_SECONDS, 900, {
      min: 1,
    }),
    refreshTokenTtlMs:
      numberSetting('REFRESH_TOKEN_TTL_SECONDS', process.env.REFRESH_TOKEN_TTL_SECONDS, 30 * 24 * 3600, { min: 1 }) *
      1000,
    passwordHashCost: passwordHashCost(process.env.PASSWORD_HASH_COST, process.env.NODE_ENV),
  };
}

function passwordHashCost(value: string | undefined, nodeEnvironment: string | undefined): number {
  const cost = numberSetting('PASSWORD_HASH_COST', value, PRODUCTION_PASSWORD_HASH_COST, {
    min: 10,
    max: 16,
    whole: true,
  });
  if (nodeEnvironment === 'production' && cost < PRODUCTION_PASSWORD_HASH_COST) {
    throw new SettingError(
      `PASSWORD_HASH_COST below ${PRODUCTION_PASSWORD_HASH_COST} is for test runs; with NODE_ENV=production leave it unset or set ${PRODUCTION_PASSWORD_HASH_COST} to 16.`,
    );
  }
  return cost;
}

let current: AuthSettings | undefined;

/**
 * The process's auth settings, read once: every process's settings step calls this before it
 * starts anything, so a malformed value stops it there; token code reads the same values after.
 */
export function authSettings(): AuthSettings {
  current ??= authSettingsFromEnvironment();
  return current;
}
