import { numberSetting } from '@commerce/database';

/** How this process signs and checks tokens. */
export interface AuthSettings {
  /** The `iss` of the tokens it signs and accepts (AUTH_ISSUER). */
  issuer: string;
  /** Lifetime of access tokens (ACCESS_TOKEN_TTL_SECONDS, default 15 minutes). */
  accessTokenTtlSeconds: number;
  /** Lifetime of refresh tokens (REFRESH_TOKEN_TTL_SECONDS, default 30 days). */
  refreshTokenTtlMs: number;
}

/** The auth settings from the environment, validated (a SettingError names a malformed one). */
export function authSettingsFromEnvironment(): AuthSettings {
  return {
    issuer: process.env.AUTH_ISSUER ?? 'commerce-graph',
    accessTokenTtlSeconds: numberSetting('ACCESS_TOKEN_TTL_SECONDS', process.env.ACCESS_TOKEN_TTL_SECONDS, 900, { min: 1 }),
    refreshTokenTtlMs: numberSetting('REFRESH_TOKEN_TTL_SECONDS', process.env.REFRESH_TOKEN_TTL_SECONDS, 30 * 24 * 3600, { min: 1 }) * 1000,
  };
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
