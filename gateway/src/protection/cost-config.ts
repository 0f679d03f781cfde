import { listSetting, numberSetting, SettingError, switchSetting } from '@commerce/database';
import proxyAddr from 'proxy-addr';
import type { CallerKind } from './caller.js';

/** A leaky bucket: how many points it holds, and how many flow back each second. */
export interface BucketSize {
  maximumAvailable: number;
  restoreRate: number;
}

/** Query cost and rate limits at the gateway (DESIGN §9). */
export interface QueryCostConfig {
  /** Off: no cost, no extensions.cost, no rate limits (to measure what they cost). */
  enabled: boolean;
  /** The most an operation may cost; above it, MAX_COST_EXCEEDED before execution. */
  maxCost: number;
  /** The bucket of each kind of caller. */
  buckets: Record<CallerKind, BucketSize>;
  /** Redis for buckets shared by every gateway process; null keeps them in this process. */
  redisUrl: string | null;
  keyPrefix: string;
  /** Proxies whose X-Forwarded-For is believed: addresses, CIDR ranges or proxy-addr's names (loopback, uniquelocal). */
  trustedProxies: string[];
}

/** A bucket from its two settings (RATE_LIMIT_<KIND>_BUCKET and _RESTORE_RATE), read by name so that tooling can find them. */
function bucketSetting(
  kind: string,
  size: string | undefined,
  rate: string | undefined,
  defaults: BucketSize,
): BucketSize {
  return {
    maximumAvailable: numberSetting(`RATE_LIMIT_${kind}_BUCKET`, size, defaults.maximumAvailable, { min: 1 }),
    restoreRate: numberSetting(`RATE_LIMIT_${kind}_RESTORE_RATE`, rate, defaults.restoreRate, { min: 0.001 }),
  };
}

/** Query cost and rate-limit settings from the environment, with their documented defaults. */
export function queryCostConfigFromEnvironment(): QueryCostConfig {
  return {
    enabled: switchSetting('GRAPHQL_COST_LIMITS', process.env.GRAPHQL_COST_LIMITS, true),
    maxCost: numberSetting('GRAPHQL_MAX_COST', process.env.GRAPHQL_MAX_COST, 1_000, { min: 1, whole: true }),
    buckets: {
      anonymous: bucketSetting(
        'ANONYMOUS',
        process.env.RATE_LIMIT_ANONYMOUS_BUCKET,
        process.env.RATE_LIMIT_ANONYMOUS_RESTORE_RATE,
        { maximumAvailable: 2_000, restoreRate: 100 },
      ),
      customer: bucketSetting(
        'CUSTOMER',
        process.env.RATE_LIMIT_CUSTOMER_BUCKET,
        process.env.RATE_LIMIT_CUSTOMER_RESTORE_RATE,
        { maximumAvailable: 2_000, restoreRate: 100 },
      ),
      staff: bucketSetting('STAFF', process.env.RATE_LIMIT_STAFF_BUCKET, process.env.RATE_LIMIT_STAFF_RESTORE_RATE, {
        maximumAvailable: 10_000,
        restoreRate: 500,
      }),
    },
    redisUrl: process.env.REDIS_URL || null,
    keyPrefix: process.env.REDIS_KEY_PREFIX ?? 'commerce:',
    trustedProxies: listSetting(process.env.TRUSTED_PROXIES),
  };
}

/** Which proxies' X-Forwarded-For to believe (proxy-addr's trust function). */
export type ProxyTrust = (address: string, hop: number) => boolean;

/** Compiles TRUSTED_PROXIES; a malformed entry stops the gateway at start. */
export function compileProxyTrust(trustedProxies: readonly string[]): ProxyTrust {
  try {
    return proxyAddr.compile([...trustedProxies]);
  } catch (error) {
    throw new SettingError(
      `TRUSTED_PROXIES: ${(error as Error).message} (addresses, CIDR ranges, loopback, linklocal or uniquelocal; see .env.example)`,
    );
  }
}

/** Refuses settings that cannot work together, so that a bad deploy stops at start. */
export function validateQueryCostConfig(config: QueryCostConfig): void {
  for (const [kind, bucket] of Object.entries(config.buckets)) {
    // An operation the maximum admits must fit in an empty bucket, or it could never run.
    if (bucket.maximumAvailable < config.maxCost) {
      throw new SettingError(
        `RATE_LIMIT_${kind.toUpperCase()}_BUCKET (${bucket.maximumAvailable}) must be at least GRAPHQL_MAX_COST (${config.maxCost}) (see .env.example)`,
      );
    }
  }
  compileProxyTrust(config.trustedProxies);
}

/** The settings read and checked together, for a process's first step (a SettingError names the bad one). */
export function validQueryCostConfigFromEnvironment(): QueryCostConfig {
  const config = queryCostConfigFromEnvironment();
  validateQueryCostConfig(config);
  return config;
}
