import type { PersistedQueryOptions } from '@apollo/server';
import type { Redis } from 'ioredis';

type KeyValueCache = NonNullable<PersistedQueryOptions['cache']>;

/**
 * Apollo Server's key-value cache over Redis, for automatic persisted queries: a document one
 * gateway process registered is found by the others. Keys are `<prefix><Apollo's key>`.
 */
export class RedisKeyValueCache implements KeyValueCache {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(this.prefix + key)) ?? undefined;
  }

  async set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    const ttl = options?.ttl;
    if (ttl && ttl > 0) await this.redis.set(this.prefix + key, value, 'EX', Math.ceil(ttl));
    else await this.redis.set(this.prefix + key, value);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.del(this.prefix + key)) > 0;
  }
}
