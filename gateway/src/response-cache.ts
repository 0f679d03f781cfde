import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext, type GraphQLResponse } from '@apollo/server';
import pg from 'pg';
import type { PrismaClient } from '@commerce/database';
import { storeFrom } from '@commerce/graphql-kit';
import { storefrontCacheLookups } from '@commerce/observability';
import { isInternalContext } from './persisted-queries/index.js';

/**
 * A cache of whole responses to anonymous storefront queries, per gateway process.
 *
 * Entries are dropped when PostgreSQL announces (NOTIFY storefront_changed, sent by triggers after
 * commit) that something a storefront reads changed in their store. A response computed while a
 * change committed is not stored (per-store generation numbers), so a price or stock level is
 * never served stale for longer than the notification takes to arrive; while the listening
 * connection is down the cache is bypassed. The TTL only bounds memory use.
 */
export class StorefrontResponseCache {
  private readonly entries = new Map<string, { storeId: string; data: Record<string, unknown>; expires: number }>();
  private readonly keysByStore = new Map<string, Set<string>>();
  private readonly generations = new Map<string, number>();
  private listening = false;

  constructor(
    readonly ttlMs: number,
    readonly maxEntries: number,
  ) {}

  /** Whether the cache may answer: it is enabled and hears about every change. */
  get active(): boolean {
    return this.ttlMs > 0 && this.listening;
  }

  setListening(listening: boolean): void {
    this.listening = listening;
    if (!listening) this.clear();
  }

  generation(storeId: string): number {
    return this.generations.get(storeId) ?? 0;
  }

  /** The cached data of a response, or null. */
  get(key: string): Record<string, unknown> | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expires <= Date.now()) {
      this.delete(key);
      return null;
    }
    // Map order doubles as recency order for eviction.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.data;
  }

  /** Stores a response unless its store changed since `generation` was read. */
  set(key: string, storeId: string, generation: number, data: Record<string, unknown>): void {
    if (!this.active || this.generation(storeId) !== generation) return;
    this.entries.set(key, { storeId, data, expires: Date.now() + this.ttlMs });
    let keys = this.keysByStore.get(storeId);
    if (!keys) {
      keys = new Set();
      this.keysByStore.set(storeId, keys);
    }
    keys.add(key);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
    }
  }

  /** Drops a store's entries and makes responses in flight for it uncacheable. */
  invalidate(storeId: string): void {
    this.generations.set(storeId, this.generation(storeId) + 1);
    for (const key of this.keysByStore.get(storeId) ?? []) this.entries.delete(key);
    this.keysByStore.delete(storeId);
  }

  clear(): void {
    for (const storeId of this.keysByStore.keys()) this.generations.set(storeId, this.generation(storeId) + 1);
    this.entries.clear();
    this.keysByStore.clear();
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.keysByStore.get(entry.storeId)?.delete(key);
  }
}

export interface ChangeListener {
  close(): Promise<void>;
}

/** Listens for storefront_changed notifications and invalidates the cache; reconnects after failures. */
export async function listenForStorefrontChanges(
  connectionString: string,
  cache: StorefrontResponseCache,
): Promise<ChangeListener> {
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString });
    next.on('notification', (message) => {
      if (message.channel === 'storefront_changed' && message.payload) cache.invalidate(message.payload);
    });
    next.on('error', () => {
      cache.setListening(false);
      void next.end().catch(() => undefined);
      schedule();
    });
    await next.connect();
    await next.query('LISTEN storefront_changed');
    client = next;
    cache.setListening(true);
  };
  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch(schedule);
    }, 1_000);
  };

  await connect().catch(schedule);
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      cache.setListening(false);
      await client?.end().catch(() => undefined);
    },
  };
}

interface CacheState {
  key: string;
  storeId: string;
  generation: number;
}

/**
 * The Apollo Server plugin: answers repeated anonymous queries of a store from the cache and
 * stores successful answers. Requests with credentials, mutations and errors are never cached.
 */
export function storefrontResponseCachePlugin(
  cache: StorefrontResponseCache,
  prisma: PrismaClient,
): ApolloServerPlugin<{ headers: { get(name: string): string | undefined } }> {
  const states = new WeakMap<object, CacheState>();

  return {
    async requestDidStart() {
      return {
        async responseForOperation(
          requestContext: GraphQLRequestContext<{ headers: { get(name: string): string | undefined } }>,
        ) {
          const { request, contextValue, operation } = requestContext;
          // The gateway's own operations (subscription payloads) must see the database, never an answer cached before the event.
          if (
            !cache.active ||
            operation?.operation !== 'query' ||
            contextValue.headers.get('authorization') ||
            isInternalContext(contextValue)
          )
            return null;
          // Tenant resolution errors are answered by the subgraphs; only resolvable stores are cached.
          const storeId = (await storeFrom(prisma, contextValue.headers, { kind: 'anonymous' }).catch(() => null))?.id;
          if (!storeId) return null;
          const key = createHash('sha256')
            .update(
              JSON.stringify([
                storeId,
                request.query ?? '',
                request.operationName ?? null,
                request.variables ?? {},
                request.extensions?.persistedQuery ?? null,
              ]),
            )
            .digest('base64url');
          const hit = cache.get(key);
          storefrontCacheLookups.inc({ result: hit ? 'hit' : 'miss' });
          if (hit)
            return {
              http: { headers: new HeaderMap() },
              body: { kind: 'single', singleResult: { data: hit } },
            } satisfies GraphQLResponse;
          states.set(requestContext, { key, storeId, generation: cache.generation(storeId) });
          return null;
        },
        async willSendResponse(requestContext) {
          const state = states.get(requestContext);
          const { body } = requestContext.response;
          if (!state || body.kind !== 'single' || body.singleResult.errors?.length || !body.singleResult.data) return;
          cache.set(state.key, state.storeId, state.generation, body.singleResult.data);
        },
      };
    },
  };
}
