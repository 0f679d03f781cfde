// The storefront cache's settings, on their own: the process that only starts others (`pnpm
// start`'s primary of workers) reads them without loading the gateway.
import { numberSetting } from '@commerce/database';

export interface StorefrontCacheOptions {
  ttlSeconds: number;
  maxEntries: number;
}

/** Storefront cache settings from STOREFRONT_CACHE_TTL_SECONDS (0 turns it off) and STOREFRONT_CACHE_MAX_ENTRIES. */
export function storefrontCacheFromEnvironment(): StorefrontCacheOptions | undefined {
  const ttlSeconds = numberSetting('STOREFRONT_CACHE_TTL_SECONDS', process.env.STOREFRONT_CACHE_TTL_SECONDS, 60);
  return ttlSeconds > 0
    ? {
        ttlSeconds,
        maxEntries: numberSetting('STOREFRONT_CACHE_MAX_ENTRIES', process.env.STOREFRONT_CACHE_MAX_ENTRIES, 10_000, {
          min: 1,
          whole: true,
        }),
      }
    : undefined;
}
