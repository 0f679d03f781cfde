import { performance } from 'node:perf_hooks';
import { connectRedis } from '@commerce/events';
import type { Redis, Result } from 'ioredis';
import type { BucketSize } from './cost-config.js';

/** A bucket after a take: whether the points were there, and what it holds now. */
export interface BucketState extends BucketSize {
  allowed: boolean;
  currentlyAvailable: number;
  /** When refused: seconds until the bucket holds the points asked for. */
  retryAfterSeconds: number;
}

/**
 * Leaky buckets by caller key, drained by the cost of operations and refilled at their restore
 * rate up to their size. A take is one atomic step: check and drain together.
 */
export interface RateLimiter {
  /** Takes `cost` points if the bucket holds them (0 reads the bucket). */
  take(key: string, bucket: BucketSize, cost: number): Promise<BucketState>;
  /** Gives points back, up to the bucket's size: at once, or with the caller's next take. */
  refund(key: string, bucket: BucketSize, points: number): void;
  close(): Promise<void>;
}

function state(bucket: BucketSize, cost: number, allowed: boolean, available: number): BucketState {
  const retryAfterSeconds = allowed ? 0 : Math.max(1, Math.ceil((cost - available) / bucket.restoreRate));
  // Fields named rather than spread: this runs for every request.
  return {
    maximumAvailable: bucket.maximumAvailable,
    restoreRate: bucket.restoreRate,
    allowed,
    currentlyAvailable: Math.floor(available),
    retryAfterSeconds,
  };
}

/** Buckets in this process's memory: for a single gateway (no REDIS_URL). */
export class InProcessRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, { available: number; at: number }>();
  private readonly sweep = setInterval(() => this.forgetFullBuckets(), 60_000).unref();

  async take(key: string, bucket: BucketSize, cost: number): Promise<BucketState> {
    const now = performance.now();
    let available = this.level(key, bucket, now);
    const allowed = cost <= available;
    if (allowed) available -= cost;
    this.buckets.set(key, { available, at: now });
    return state(bucket, cost, allowed, available);
  }

  refund(key: string, bucket: BucketSize, points: number): void {
    const now = performance.now();
    this.buckets.set(key, {
      available: Math.min(bucket.maximumAvailable, this.level(key, bucket, now) + points),
      at: now,
    });
  }

  /** What a bucket holds now: its level when last touched, refilled since. */
  private level(key: string, bucket: BucketSize, now: number): number {
    const entry = this.buckets.get(key);
    return entry
      ? Math.min(bucket.maximumAvailable, entry.available + ((now - entry.at) / 1000) * bucket.restoreRate)
      : bucket.maximumAvailable;
  }

  /** A bucket that has refilled is the same as none; forgetting it bounds memory to recent callers. */
  private forgetFullBuckets(): void {
    const now = performance.now();
    for (const [key, entry] of this.buckets) {
      // Sizes are per kind and not kept here: an hour idle refills any bucket of sane settings.
      if (now - entry.at > 3_600_000) this.buckets.delete(key);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweep);
  }
}

/**
 * One step in Redis: refill by the time elapsed (Redis's clock, so replicas agree) and by the
 * refunds this process owes, take the cost if it is there, store, and expire the key once it would
 * be full again. Returns {allowed, available}.
 */
const TAKE_SCRIPT = `
local size = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local refund = tonumber(ARGV[4])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local stored = redis.call('HMGET', KEYS[1], 'available', 'at')
local available = tonumber(stored[1])
if available == nil then
  available = size
else
  available = math.min(size, available + math.max(0, now - tonumber(stored[2])) * rate / 1000)
end
available = math.min(size, available + refund)
local allowed = 0
if cost <= available then
  available = math.min(size, available - cost)
  allowed = 1
end
redis.call('HSET', KEYS[1], 'available', tostring(available), 'at', now)
redis.call('PEXPIRE', KEYS[1], math.ceil((size - available) / rate * 1000) + 1000)
return { allowed, tostring(available) }
`;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    takeFromBucket(
      key: string,
      size: number,
      restoreRate: number,
      cost: number,
      refund: number,
    ): Result<[number, string], Context>;
  }
}

/** How often refunds owed to callers who have not come back are sent to Redis. */
const REFUND_FLUSH_MS = 1_000;

/**
 * Buckets in Redis, shared by every gateway process of a deployment: `<prefix>rate:<caller key>`.
 * Each request takes in one step; refunds ride on the caller's next take from this process, or
 * go with the others owed, together, within a second.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private failing = false;
  private readonly owed = new Map<string, { bucket: BucketSize; points: number }>();
  private readonly flushing = setInterval(() => void this.flush(), REFUND_FLUSH_MS).unref();

  constructor(
    url: string,
    private readonly keyPrefix: string,
  ) {
    this.redis = connectRedis(url, 'rate-limits', { commandTimeout: 1_000 });
    this.redis.defineCommand('takeFromBucket', { numberOfKeys: 1, lua: TAKE_SCRIPT });
  }

  async take(key: string, bucket: BucketSize, cost: number): Promise<BucketState> {
    const refund = this.owed.get(key)?.points ?? 0;
    this.owed.delete(key);
    try {
      const [allowed, available] = await this.redis.takeFromBucket(
        `${this.keyPrefix}rate:${key}`,
        bucket.maximumAvailable,
        bucket.restoreRate,
        cost,
        refund,
      );
      this.failing = false;
      return state(bucket, cost, allowed === 1, Number(available));
    } catch (error) {
      // Without Redis the API keeps serving, unlimited, rather than failing every request.
      if (!this.failing)
        console.error(
          `rate limits: Redis failed (${(error as Error).message}); serving without rate limits until it answers`,
        );
      this.failing = true;
      return state(bucket, cost, true, bucket.maximumAvailable);
    }
  }

  refund(key: string, bucket: BucketSize, points: number): void {
    this.owed.set(key, { bucket, points: (this.owed.get(key)?.points ?? 0) + points });
  }

  /** Sends the refunds owed, in one round trip. */
  private async flush(): Promise<void> {
    if (!this.owed.size) return;
    const pipeline = this.redis.pipeline();
    for (const [key, { bucket, points }] of this.owed)
      pipeline.takeFromBucket(`${this.keyPrefix}rate:${key}`, bucket.maximumAvailable, bucket.restoreRate, 0, points);
    this.owed.clear();
    // A refund lost to a Redis failure leaves a caller a little poorer until its bucket refills.
    await pipeline.exec().catch(() => undefined);
  }

  async close(): Promise<void> {
    clearInterval(this.flushing);
    await this.flush();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
