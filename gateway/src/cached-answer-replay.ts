import { HeaderMap, type GraphQLResponse } from '@apollo/server';
import type { PrismaClient } from '@commerce/database';
import {
  observeAnswer,
  type Answer,
  type HeaderSource,
  type IncomingGraphQL,
  type RequestShortcut,
} from '@commerce/graphql-kit';
import { storefrontCacheLookups } from '@commerce/observability';
import type { KnownAnswerCharge } from './protection/query-cost.js';
import type { CostExtension } from './protection/refusals.js';
import {
  closingFor,
  DATA_OPENING,
  storefrontVariantOf,
  type CachedHit,
  type HitWitness,
  type StorefrontResponseCache,
} from './response-cache.js';

/**
 * Request headers no answer depends on, left out of a replay's key: ids and trace context (new on
 * every request), framing, and the client's address and software (the address is read again for
 * every replay, for the caller's bucket). Every other header is part of the key, so that a header
 * some check reads, now or later, can only make a replay miss.
 */
const UNKEYED_HEADERS = new Set([
  'x-request-id',
  'traceparent',
  'tracestate',
  'content-length',
  'connection',
  'keep-alive',
  'x-forwarded-for',
  'user-agent',
]);

/** Requests whose body (or query string) is longer than this, in characters, are never replayed. */
const MAX_REPLAYED_TEXT = 8 * 1024;
/** What the keys of all replays may hold together (characters), besides the cache's own bound on entries. */
const MAX_KEYS_LENGTH = 8 * 1024 * 1024;

/** A hit Apollo Server answered, and how: what the same request gets without it. */
interface Replay extends Omit<CachedHit, 'data'> {
  /** The cache's data it answered: held weakly, so that data the cache drops is not kept for replays. */
  data: WeakRef<Record<string, unknown>>;
  /** The answer's headers as Apollo Server gave them (content type, Cache-Control, Vary). */
  headers: Array<[string, string]>;
  /** extensions.cost's two costs, or null when the answer had no extensions (cost limits off). */
  cost: { requested: number; actual: number } | null;
}

/**
 * The key of a request's replay: its method, its body (or query string) with its length, so that no
 * body can pass for another body and headers, and its keyed headers (whose names and values hold no
 * newline); null for a text too long to keep.
 */
function replayKey(request: IncomingGraphQL): string | null {
  const text = request.method === 'POST' ? request.text : request.url.search;
  if (text.length > MAX_REPLAYED_TEXT) return null;
  let key = `${request.method}\n${text.length}\n${text}`;
  for (const [name, value] of request.headers) if (!UNKEYED_HEADERS.has(name)) key += `\n${name}:${value}`;
  return key;
}

/** The costs of an answer's closing as Apollo Server wrote it (`}` or `,"extensions":{"cost":…}}`), if it holds nothing else. */
function costsOfClosing(closing: string): Replay['cost'] | undefined {
  if (closing === closingFor(undefined)) return null;
  const prefix = ',"extensions":';
  if (!closing.startsWith(prefix)) return undefined;
  let extensions: { cost?: Partial<CostExtension> };
  try {
    extensions = JSON.parse(closing.slice(prefix.length, -2)) as typeof extensions;
  } catch {
    return undefined;
  }
  const requested = extensions.cost?.requestedQueryCost;
  const actual = extensions.cost?.actualQueryCost;
  if (Object.keys(extensions).length !== 1 || typeof requested !== 'number' || typeof actual !== 'number')
    return undefined;
  // The replay writes its closing with closingFor: it must be the very text Apollo Server wrote.
  return closingFor(extensions) === closing ? { requested, actual } : undefined;
}

/**
 * Cached storefront answers replayed below Apollo Server. A cache hit still cost its request
 * pipeline and plugins, though for the same request they decide the same: every check a hit passes
 * (parsing, validation and the query limits, the trusted-document policy, refusals, the maximum
 * cost, the cache's own rules) depends only on the request's body and headers and on settings fixed
 * for the process. So once Apollo Server has answered a request from the cache, the same request
 * (same method, body and headers, UNKEYED_HEADERS aside) is answered here with the same status,
 * headers and data, while:
 * - the cache still holds that very data for the key (no invalidation, expiry or loss of trust in
 *   the events since), and the request's store, language and currency resolve as they did;
 * - the caller's bucket holds the cost (taken and refunded as the cost plugin does; throttled, the
 *   request goes to Apollo Server, which refuses it).
 * The answer's extensions.cost is the caller's own; the request keeps its id, log line and metrics.
 * Anything else (credentials, a miss, a first request) goes the whole way.
 */
export class CachedAnswerReplay implements RequestShortcut, HitWitness {
  private readonly hits = new WeakMap<HeaderSource, CachedHit>();
  private readonly replays = new Map<string, Replay>();
  private keysLength = 0;

  constructor(
    private readonly cache: StorefrontResponseCache,
    private readonly prisma: PrismaClient,
    private readonly cost: {
      charge: KnownAnswerCharge | null;
      clientAddress: (request: NonNullable<IncomingGraphQL['incoming']>) => string;
    },
  ) {}

  noteHit(headers: HeaderSource, hit: CachedHit): void {
    this.hits.set(headers, hit);
  }

  answered(request: IncomingGraphQL, answer: Answer): void {
    const hit = this.hits.get(request.headers);
    if (!hit) return;
    this.hits.delete(request.headers);
    // Only the very bytes of the hit: its opening, the cache's data for it, and its closing.
    if (answer.status !== 200 || !Array.isArray(answer.body) || answer.body.length !== 3) return;
    const [opening, data, closing] = answer.body as [Buffer, Buffer, Buffer];
    if (opening !== DATA_OPENING || data !== this.cache.serializedData(hit.data)?.bytes) return;
    const cost = costsOfClosing(closing.toString('utf8'));
    // With cost limits on, every answer carries its cost, and a replay is charged it.
    if (cost === undefined || (cost === null) !== (this.cost.charge === null)) return;
    const key = replayKey(request);
    if (key === null) return;
    this.forget(key);
    this.remember(key, { ...hit, data: new WeakRef(hit.data), headers: [...answer.headers], cost });
  }

  async answer(request: IncomingGraphQL): Promise<Answer | null> {
    if (request.headers.get('authorization') || !request.incoming) return null;
    const key = replayKey(request);
    const replay = key === null ? undefined : this.replays.get(key);
    if (key === null || !replay) return null;
    const data = replay.data.deref();
    // The very answer the cache holds for its key, and only while the cache may answer at all.
    const stands = () => data !== undefined && this.cache.isActive() && this.cache.get(replay.cacheKey) === data;
    if (!stands()) {
      this.forget(key);
      return null;
    }
    const variant = await storefrontVariantOf(this.prisma, request.headers);
    if (
      variant?.storeId !== replay.variant.storeId ||
      variant.language !== replay.variant.language ||
      variant.currency !== replay.variant.currency
    )
      return null;
    let extensions: { cost: CostExtension } | undefined;
    if (replay.cost) {
      if (!this.cost.charge) return null;
      // Checked again once the cost is taken (a round trip to Redis, perhaps): an event may have come meanwhile.
      const cost = await this.cost.charge({
        headers: request.headers,
        clientAddress: this.cost.clientAddress(request.incoming),
        requested: replay.cost.requested,
        actual: replay.cost.actual,
        stillStands: stands,
      });
      if (!cost) return null;
      extensions = { cost };
    } else if (!stands()) return null;
    const serialized = this.cache.serializedData(data as object);
    if (!serialized) return null;
    // Most recently used last: the first to go when there are too many are the least used.
    this.replays.delete(key);
    this.replays.set(key, replay);
    storefrontCacheLookups.inc({ result: 'hit' });
    const response: GraphQLResponse = {
      http: { headers: new HeaderMap() },
      body: { kind: 'single', singleResult: { data, ...(extensions && { extensions }) } },
    };
    observeAnswer(replay.operationName, response);
    return {
      status: 200,
      headers: replay.headers,
      body: [DATA_OPENING, serialized.bytes, Buffer.from(closingFor(extensions), 'utf8')],
    };
  }

  private remember(key: string, replay: Replay): void {
    this.replays.set(key, replay);
    this.keysLength += key.length;
    while (this.replays.size > this.cache.maxEntries || this.keysLength > MAX_KEYS_LENGTH) {
      const oldest = this.replays.keys().next();
      if (oldest.done) break;
      this.forget(oldest.value);
    }
  }

  private forget(key: string): void {
    if (this.replays.delete(key)) this.keysLength -= key.length;
  }
}
