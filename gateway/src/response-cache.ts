import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContext, type GraphQLResponse } from '@apollo/server';
import type { PrismaClient } from '@commerce/database';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { STOREFRONT_EVENT_TYPES, type EventBus, type RelayPulse } from '@commerce/events';
import { answerBytes, negotiateLanguage, type HeaderSource } from '@commerce/graphql-kit';
import { logger, storefrontCacheLookups } from '@commerce/observability';
import { isInternalContext } from './persisted-queries/index.js';
import { storeNamedBy } from './request-store.js';

/** Passes the relay may miss before the cache stops trusting that it hears of every change. */
const TRUSTED_POLLS = 3;
const RESUBSCRIBE_MS = 1_000;

/** A cached answer's data as JSON text and as its UTF-8 bytes. */
interface SerializedData {
  json: string;
  bytes: Buffer;
}

/**
 * A cache of whole responses to anonymous storefront queries, per gateway process.
 *
 * Entries are dropped when the event bus brings an event of a change a storefront can read in
 * their store (STOREFRONT_EVENT_TYPES): the services append one to the outbox in the transaction
 * of every such change, and the outbox relay publishes it. A response computed while such an
 * event arrived is not stored (per-store generation numbers). The cache answers only while it can
 * trust that it hears of changes: its bus subscription is up and the relay has made a pass within
 * a few poll intervals (the relay of its process, or in worker processes the pass the relay's
 * worker last announced); otherwise it is bypassed. So a price or stock level is stale for at
 * most the time from commit to publication (at once when the relay is woken, one poll interval
 * when the wake-up is lost) and the bus's delivery. The TTL only bounds memory use.
 */
export class StorefrontResponseCache {
  private readonly entries = new Map<string, { storeId: string; data: Record<string, unknown>; expires: number }>();
  private readonly keysByStore = new Map<string, Set<string>>();
  private readonly generations = new Map<string, number>();
  /** The JSON of each cached answer's data, as text and UTF-8, once an answer has been written from it (stringifyResult). */
  private readonly serialized = new WeakMap<object, SerializedData | null>();
  /** Moves on whenever every entry is dropped, so that no response computed before that is stored. */
  private epoch = 0;
  private source: { bus: EventBus; relay: RelayPulse } | null = null;
  private trusted = false;
  private unsubscribe: (() => void) | null = null;
  private retry: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    readonly ttlMs: number,
    readonly maxEntries: number,
  ) {}

  /**
   * Follows the storefront events of every store on `bus`, trusting them while `relay` keeps
   * making passes. Resolves after the first attempt to subscribe; a failed one is tried again
   * in the background, the cache bypassed meanwhile.
   */
  async follow(bus: EventBus, relay: RelayPulse): Promise<void> {
    if (this.stopped) return;
    try {
      this.unsubscribe = await bus.subscribeAll({
        onEvent: (event) => {
          if (STOREFRONT_EVENT_TYPES.has(event.type)) this.invalidate(event.storeId);
        },
        // Events may have been lost: nothing cached before can be trusted.
        onResync: () => this.clear(),
      });
      this.source = { bus, relay };
    } catch (error) {
      logger.error(
        { reason: error instanceof Error ? error.message : String(error) },
        'storefront cache: could not listen to the events; bypassed until it can',
      );
      this.retry = setTimeout(() => {
        this.retry = null;
        void this.follow(bus, relay);
      }, RESUBSCRIBE_MS);
      this.retry.unref();
    }
  }

  /** Stops following the events; the cache is bypassed from now on. */
  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.source = null;
    this.clear();
  }

  /**
   * Whether the cache may answer and store: it is enabled and hears of every change (see the
   * class). Losing that trust drops every entry.
   */
  isActive(): boolean {
    const source = this.source;
    const trusted =
      this.ttlMs > 0 &&
      source !== null &&
      source.bus.listening &&
      Date.now() - source.relay.lastPassAt <= TRUSTED_POLLS * source.relay.pollIntervalMs;
    if (this.trusted && !trusted) this.clear();
    this.trusted = trusted;
    return trusted;
  }

  /** The point a response's computation starts from: it is stored only if its store has not changed since. */
  generation(storeId: string): string {
    return `${this.epoch}:${this.generations.get(storeId) ?? 0}`;
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
  set(key: string, storeId: string, generation: string, data: Record<string, unknown>): void {
    if (!this.isActive() || this.generation(storeId) !== generation) return;
    this.entries.set(key, { storeId, data, expires: Date.now() + this.ttlMs });
    this.serialized.set(data, null);
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

  /**
   * The JSON of data this cache answered with, as text and as UTF-8 bytes, made on its first
   * answer and kept with it, or undefined for any other data. The entry's data is never changed
   * once stored.
   */
  serializedData(data: object): SerializedData | undefined {
    const known = this.serialized.get(data);
    if (known === undefined) return undefined;
    if (known !== null) return known;
    const json = JSON.stringify(data);
    const serialized = { json, bytes: Buffer.from(json, 'utf8') };
    this.serialized.set(data, serialized);
    return serialized;
  }

  /** Drops a store's entries and makes responses in flight for it uncacheable. */
  invalidate(storeId: string): void {
    this.generations.set(storeId, (this.generations.get(storeId) ?? 0) + 1);
    for (const key of this.keysByStore.get(storeId) ?? []) this.entries.delete(key);
    this.keysByStore.delete(storeId);
  }

  /** Drops every entry and makes every response in flight uncacheable. */
  clear(): void {
    this.epoch += 1;
    this.generations.clear();
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

/**
 * Whether every root field of the operation is `store` (or `__typename`): what storefronts share
 * and the catalog's events announce. Anonymous reads of a buyer's own things (a cart by its
 * token, an order being tracked) change without such events, so they are never cached; nor is a
 * root fragment, which this does not look into.
 */
function readsOnlyTheStorefront(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.every(
    (selection) =>
      selection.kind === Kind.FIELD && (selection.name.value === 'store' || selection.name.value === '__typename'),
  );
}

/** How a cached answer's text opens, before its data. */
export const DATA_OPENING = Buffer.from('{"data":', 'utf8');

/** How a cached answer's text closes after its data: its extensions, if any, as Apollo Server writes them. */
export function closingFor(extensions: unknown): string {
  return `${extensions === undefined ? '' : `,"extensions":${JSON.stringify(extensions)}`}}\n`;
}

/** What else than the query an anonymous storefront answer depends on: its store, language and currency. */
export interface StorefrontVariant {
  storeId: string;
  /** The one of the store's languages Accept-Language resolves to. */
  language: string;
  /** X-Currency as sent (upper case), or null. */
  currency: string | null;
}

/** The variant an anonymous request reads, or null when its store does not resolve (the subgraphs answer that). */
export async function storefrontVariantOf(
  prisma: PrismaClient,
  headers: HeaderSource,
): Promise<StorefrontVariant | null> {
  const store = await storeNamedBy(prisma, headers).catch(() => null);
  if (!store) return null;
  return {
    storeId: store.id,
    language: negotiateLanguage(headers.get('accept-language'), store),
    currency: headers.get('x-currency')?.trim().toUpperCase() ?? null,
  };
}

/**
 * Apollo Server's `stringifyResult` for the gateway: the same text as its default
 * (`JSON.stringify` of errors, data and extensions, then a newline), but a cached answer's data is
 * written from the JSON the cache keeps with it rather than serialized again for every hit: that
 * was 30 % of the CPU of a cached listing. The server is also handed the answer's bytes, the
 * data's kept UTF-8 between its opening and closing (answerBytes), so that it neither measures nor
 * encodes the text again, nor copies the data.
 */
export function stringifyWithCachedData(
  cache: StorefrontResponseCache,
): (result: { errors?: unknown; data?: unknown; extensions?: unknown }) => string {
  return (result) => {
    const { errors, data, extensions, ...rest } = result;
    const serialized =
      errors === undefined && Object.keys(rest).length === 0 && data !== null && typeof data === 'object'
        ? cache.serializedData(data)
        : undefined;
    if (serialized === undefined) return `${JSON.stringify(result)}\n`;
    const closing = closingFor(extensions);
    const text = `{"data":${serialized.json}${closing}`;
    answerBytes(text, [DATA_OPENING, serialized.bytes, Buffer.from(closing, 'utf8')]);
    return text;
  };
}

/** A hit the cache plugin answered: what a replay of its answer must check again. */
export interface CachedHit {
  cacheKey: string;
  /** The cache's data for the key when it answered (its entries' data is never changed once stored). */
  data: Record<string, unknown>;
  variant: StorefrontVariant;
  operationName: string | null;
}

/** Told of every hit the cache plugin answers, by the request's headers (cached-answer-replay.ts). */
export interface HitWitness {
  noteHit(headers: HeaderSource, hit: CachedHit): void;
}

interface CacheState {
  key: string;
  storeId: string;
  generation: string;
}

/**
 * The Apollo Server plugin: answers repeated anonymous queries of a store from the cache and
 * stores successful answers. Requests with credentials, mutations and errors are never cached.
 */
export function storefrontResponseCachePlugin(
  cache: StorefrontResponseCache,
  prisma: PrismaClient,
  hits?: HitWitness,
): ApolloServerPlugin<{ headers: HeaderSource }> {
  const states = new WeakMap<object, CacheState>();

  return {
    async requestDidStart() {
      return {
        async responseForOperation(requestContext: GraphQLRequestContext<{ headers: HeaderSource }>) {
          const { request, contextValue, operation } = requestContext;
          // The gateway's own operations (subscription payloads) must see the database, never an answer cached before the event.
          if (
            !cache.isActive() ||
            operation?.operation !== 'query' ||
            !readsOnlyTheStorefront(operation) ||
            contextValue.headers.get('authorization') ||
            isInternalContext(contextValue)
          )
            return null;
          // Tenant resolution errors are answered by the subgraphs; only resolvable stores are cached.
          const variant = await storefrontVariantOf(prisma, contextValue.headers);
          if (!variant) return null;
          // Answers differ by language (the one the store resolves Accept-Language to) and by currency.
          const { storeId, language, currency } = variant;
          const key = createHash('sha256')
            .update(
              JSON.stringify([
                storeId,
                language,
                currency,
                request.query ?? '',
                request.operationName ?? null,
                request.variables ?? {},
                request.extensions?.persistedQuery ?? null,
              ]),
            )
            .digest('base64url');
          const hit = cache.get(key);
          storefrontCacheLookups.inc({ result: hit ? 'hit' : 'miss' });
          if (hit) {
            hits?.noteHit(contextValue.headers, {
              cacheKey: key,
              data: hit,
              variant,
              operationName: requestContext.operationName ?? request.operationName ?? null,
            });
            return {
              http: { headers: new HeaderMap() },
              body: { kind: 'single', singleResult: { data: hit } },
            } satisfies GraphQLResponse;
          }
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
