// When a request is replayed from what Apollo Server answered before, and when it goes the whole way
// (cached-answer-replay.ts). The HTTP behaviour is in cached-answer-replay.test.ts.
import type { IncomingMessage } from 'node:http';
import { HeaderMap } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, IncomingGraphQL } from '@commerce/graphql-kit';
import { createStore, sharedTestGraph, type SharedTestGraph, type TestStore } from '@commerce/testkit';
import { CachedAnswerReplay } from '../src/cached-answer-replay.js';
import { chargeKnownAnswer } from '../src/protection/cost-plugin.js';
import type { KnownAnswerCharge } from '../src/protection/query-cost.js';
import { InProcessRateLimiter } from '../src/protection/rate-limit.js';
import {
  closingFor,
  DATA_OPENING,
  StorefrontResponseCache,
  storefrontVariantOf,
  type StorefrontVariant,
} from '../src/response-cache.js';

let graph: SharedTestGraph;
let store: TestStore;
/** The store, language and currency the requests below resolve to, as the cache plugin resolves them. */
let variant: StorefrontVariant;
beforeAll(async () => {
  graph = await sharedTestGraph();
  store = await createStore(graph.client);
  variant = (await storefrontVariantOf(graph.database.prisma, request().headers)) as StorefrontVariant;
});
afterAll(async () => {
  await graph?.close();
});

const BODY = JSON.stringify({ query: '{ store { name } }' });
const DATA = { store: { name: 'Replayed' } };
const ANSWER_HEADERS: Array<[string, string]> = [
  ['content-type', 'application/json; charset=utf-8'],
  ['cache-control', 'public, max-age=60'],
];
const COST = {
  requestedQueryCost: 2,
  actualQueryCost: 2,
  throttleStatus: { maximumAvailable: 100, currentlyAvailable: 98, restoreRate: 10 },
};

function request(headers: Record<string, string> = {}, text = BODY): IncomingGraphQL {
  return {
    method: 'POST',
    url: new URL('http://localhost/graphql'),
    headers: new HeaderMap(Object.entries({ 'content-type': 'application/json', 'x-store': store.slug, ...headers })),
    text,
    incoming: {} as IncomingMessage,
  };
}

interface Setup {
  cache: StorefrontResponseCache;
  replay: CachedAnswerReplay;
  charged: Array<{ requested: number; actual: number; clientAddress: string }>;
}

/** `duringCharge` runs while the cost is being taken, as an event may arrive during a round trip to Redis. */
function setUp(
  charge: 'on' | 'off' | 'throttled' = 'off',
  duringCharge?: (cache: StorefrontResponseCache) => void,
): Setup {
  const cache = new StorefrontResponseCache(60_000, 100);
  // Trusted as it is once it follows the bus and the relay makes passes.
  cache.isActive = () => true;
  const charged: Setup['charged'] = [];
  const charging: KnownAnswerCharge = async ({ clientAddress, requested, actual, stillStands }) => {
    charged.push({ requested, actual, clientAddress });
    duringCharge?.(cache);
    if (charge === 'throttled' || !stillStands()) return null;
    return { ...COST, requestedQueryCost: requested, actualQueryCost: actual };
  };
  const replay = new CachedAnswerReplay(cache, graph.database.prisma, {
    charge: charge === 'off' ? null : charging,
    clientAddress: () => '203.0.113.5',
  });
  return { cache, replay, charged };
}

/** What the cache plugin does for a hit of `sent`, and the answer Apollo Server then gives. */
function hitNoted({ cache, replay }: Setup, sent: IncomingGraphQL, extensions?: unknown): Answer {
  const { storeId } = variant;
  let data = cache.get('key');
  if (!data) {
    cache.set('key', storeId, cache.generation(storeId), structuredClone(DATA));
    data = cache.get('key') as Record<string, unknown>;
  }
  replay.noteHit(sent.headers, {
    cacheKey: 'key',
    data,
    variant,
    operationName: null,
  });
  const bytes = cache.serializedData(data)?.bytes as Buffer;
  return {
    status: 200,
    headers: ANSWER_HEADERS,
    body: [DATA_OPENING, bytes, Buffer.from(closingFor(extensions), 'utf8')],
  };
}

/** A hit of `sent` answered by Apollo Server, as the replay sees it. */
function apolloHit(setup: Setup, sent: IncomingGraphQL, extensions?: unknown): Answer {
  const answer = hitNoted(setup, sent, extensions);
  setup.replay.answered(sent, answer);
  return answer;
}

const text = (answer: Answer | null) => (answer ? Buffer.concat(answer.body as Buffer[]).toString('utf8') : null);

describe('a cached answer replayed', () => {
  it('is the hit Apollo Server answered, for the same method, body and headers', async () => {
    const setup = setUp();
    const first = apolloHit(setup, request());
    const again = await setup.replay.answer(request());
    expect(again).not.toBeNull();
    expect(text(again)).toBe(text(first));
    expect(text(again)).toBe(`{"data":${JSON.stringify(DATA)}}\n`);
    expect(again?.headers).toEqual(ANSWER_HEADERS);
    // Ids, trace context and the client's address and software are not part of what is answered.
    const other = await setup.replay.answer(
      request({
        'x-request-id': 'abc',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
        'user-agent': 'probe',
      }),
    );
    expect(text(other)).toBe(text(first));
  });

  it('goes the whole way for another body, another header, credentials, or a request not from a socket', async () => {
    const setup = setUp();
    apolloHit(setup, request());
    expect(await setup.replay.answer(request({}, JSON.stringify({ query: '{ store { name slug } }' })))).toBeNull();
    expect(await setup.replay.answer(request({ 'apollographql-client-name': 'admin' }))).toBeNull();
    expect(await setup.replay.answer(request({ accept: 'application/graphql-response+json' }))).toBeNull();
    expect(await setup.replay.answer(request({ authorization: 'Bearer x' }))).toBeNull();
    expect(await setup.replay.answer({ ...request(), incoming: undefined })).toBeNull();
  });

  it('keeps a body apart from the headers, and leaves bodies over 8,192 characters alone', async () => {
    const setup = setUp();
    apolloHit(setup, request());
    // The hit's body and its content-type header, sent as one body without that header.
    const spliced: IncomingGraphQL = {
      ...request(),
      headers: new HeaderMap([['x-store', store.slug]]),
      text: `${BODY}\ncontent-type:application/json`,
    };
    expect(await setup.replay.answer(spliced)).toBeNull();

    const large = JSON.stringify({ query: '{ store { name } }', variables: { padding: 'x'.repeat(8_200) } });
    const big = setUp();
    apolloHit(big, request({}, large));
    expect(await big.replay.answer(request({}, large))).toBeNull();
  });

  it('ends with its cache entry: invalidated, replaced, or the cache no longer trusted', async () => {
    const setup = setUp();
    apolloHit(setup, request());
    setup.cache.invalidate(variant.storeId);
    expect(await setup.replay.answer(request())).toBeNull();

    apolloHit(setup, request());
    setup.cache.set('key', variant.storeId, setup.cache.generation(variant.storeId), { store: { name: 'Renamed' } });
    expect(await setup.replay.answer(request())).toBeNull();

    apolloHit(setup, request());
    expect(await setup.replay.answer(request())).not.toBeNull();
    setup.cache.isActive = () => false;
    expect(await setup.replay.answer(request())).toBeNull();
  });

  it('is not learned from an answer other than the hit: an error status, other bytes, or extensions besides cost', async () => {
    for (const spoil of [
      (answer: Answer): Answer => ({ ...answer, status: 400 }),
      (answer: Answer): Answer => ({ ...answer, body: [Buffer.from(text(answer) as string, 'utf8')] }),
      (answer: Answer): Answer => ({ ...answer, body: text(answer) as string }),
    ]) {
      const setup = setUp();
      const sent = request();
      setup.replay.answered(sent, spoil(hitNoted(setup, sent)));
      expect(await setup.replay.answer(request())).toBeNull();
    }
    // A request the cache plugin did not answer (a miss) teaches nothing either.
    const missed = setUp();
    const answer = hitNoted(setUp(), request());
    missed.replay.answered(request(), answer);
    expect(await missed.replay.answer(request())).toBeNull();
    const setup = setUp('on');
    apolloHit(setup, request(), { cost: COST, tracing: {} });
    expect(await setup.replay.answer(request())).toBeNull();
  });

  it('charges the caller each time with the costs Apollo Server answered, and goes the whole way when throttled', async () => {
    const setup = setUp('on');
    apolloHit(setup, request(), { cost: { ...COST, requestedQueryCost: 7, actualQueryCost: 3 } });
    const again = await setup.replay.answer(request());
    expect(setup.charged).toEqual([{ requested: 7, actual: 3, clientAddress: '203.0.113.5' }]);
    expect(JSON.parse(text(again) as string).extensions.cost).toMatchObject({
      requestedQueryCost: 7,
      actualQueryCost: 3,
    });

    const throttled = setUp('throttled');
    apolloHit(throttled, request(), { cost: COST });
    expect(await throttled.replay.answer(request())).toBeNull();
    expect(throttled.charged).toHaveLength(1);

    // An event that drops the answer while the cost is being taken (a round trip to Redis) stops the replay.
    const raced = setUp('on', (cache) => cache.invalidate(variant.storeId));
    apolloHit(raced, request(), { cost: COST });
    expect(await raced.replay.answer(request())).toBeNull();
    expect(raced.charged).toHaveLength(1);

    // With cost limits on, an answer without its cost is never replayed uncharged.
    const uncosted = setUp('on');
    apolloHit(uncosted, request());
    expect(await uncosted.replay.answer(request())).toBeNull();
  });

  it('gives the whole cost back to the bucket when the answer no longer stands once the cost is taken', async () => {
    const limiter = new InProcessRateLimiter();
    const bucket = { maximumAvailable: 100, restoreRate: 0.001 };
    const options = {
      config: {
        enabled: true,
        maxCost: 50,
        buckets: { anonymous: bucket, customer: bucket, staff: bucket },
        redisUrl: null,
        keyPrefix: '',
        trustedProxies: [],
      },
      limiter,
      prisma: graph.database.prisma,
    };
    const known = (stands: boolean) => ({
      headers: request().headers,
      clientAddress: '203.0.113.6',
      requested: 10,
      actual: 4,
      stillStands: () => stands,
    });
    expect(await chargeKnownAnswer(options, known(false))).toBeNull();
    const charged = await chargeKnownAnswer(options, known(true));
    // Nothing was kept of the first; the second paid its actual cost.
    expect(charged?.throttleStatus.currentlyAvailable).toBe(96);
    expect(await chargeKnownAnswer(options, { ...known(true), requested: 60 })).toBeNull();
    limiter.close();
  });
});
