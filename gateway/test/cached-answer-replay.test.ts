import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStatementCount } from '@commerce/database';
import {
  createProduct,
  createStore,
  eventually,
  scrapeMetrics,
  startTestGraph,
  sumOf,
  type TestGraph,
  type TestStore,
} from '@commerce/testkit';

// Repeated cache hits are answered below Apollo Server (cached-answer-replay.ts). These tests hold
// them to what Apollo Server's own hits give: the same answer, the caller's bucket drained to the
// same refusal, the trusted-document policy by client, credentials never answered from the cache,
// and the request's log line and metrics.

const POLL_MS = 200;
const ROOMY = { maximumAvailable: 1_000_000, restoreRate: 1_000_000 };
/** An anonymous bucket of 100 points that restores too slowly to matter during a test. */
const SLOW_BUCKET = { maximumAvailable: 100, restoreRate: 0.001 };

let graph: TestGraph;
let slow: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ storefrontCache: true, realtime: { relayPollIntervalMs: POLL_MS } });
  slow = await startTestGraph({
    storefrontCache: true,
    realtime: { relayPollIntervalMs: POLL_MS },
    queryCost: { maxCost: 100, buckets: { anonymous: SLOW_BUCKET, customer: ROOMY, staff: ROOMY }, redisUrl: null },
  });
});
afterAll(async () => {
  await Promise.all([graph?.close(), slow?.close()]);
});

/** store 1 + products 1 + 3 × (product 1): 5 requested and actual in a store of three products. */
const LISTING = 'query Replayed { store { name products(first: 3) { nodes { title } } } }';

interface Read {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** SQL statements the graph's process sent meanwhile. */
  statements: number;
}

async function read(target: TestGraph, store: TestStore, headers: Record<string, string> = {}): Promise<Read> {
  const before = processStatementCount.value;
  const response = await fetch(target.graph.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-store': store.slug, ...headers },
    body: JSON.stringify({ query: LISTING }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    text,
    statements: processStatementCount.value - before,
  };
}

/** Made through the first graph: both graphs share the database and the events. */
async function storeWithThreeProducts(): Promise<TestStore> {
  const store = await createStore(graph.client);
  for (const title of ['Linen Shirt', 'Wool Coat', 'Silk Scarf'])
    await createProduct(graph.client, store, { title, variants: [{ price: '10.00', inventoryQuantity: 5 }] });
  return store;
}

/** Reads until two answers in a row come from the cache (no statement): the second may be a replay. */
async function untilCached(target: TestGraph, store: TestStore, headers: Record<string, string> = {}): Promise<void> {
  await eventually('answers from the cache that stay', async () => {
    if ((await read(target, store, headers)).statements !== 0) return false;
    await new Promise((resolve) => setTimeout(resolve, 2 * POLL_MS));
    return (await read(target, store, headers)).statements === 0;
  });
}

const withoutRequestId = ({ 'x-request-id': _, date: __, ...headers }: Record<string, string>) => headers;

interface Cost {
  requestedQueryCost: number;
  actualQueryCost: number;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}
const costOf = (text: string) => (JSON.parse(text) as { extensions: { cost: Cost } }).extensions.cost;

describe('cached answers replayed', () => {
  it('answer as Apollo Server’s hits do: the same status, headers and bytes, with a request id of their own', async () => {
    const store = await storeWithThreeProducts();
    await untilCached(graph, store);
    // A header no one reads keys a replay of its own: the first of them is Apollo Server's hit.
    const probe = { 'x-probe': String(Math.random()) };
    const apollos = await read(graph, store, probe);
    const replays = [await read(graph, store, probe), await read(graph, store, probe)];
    expect(apollos.statements).toBe(0);
    expect(apollos.status).toBe(200);
    for (const replay of replays) {
      expect(replay).toMatchObject({ status: 200, statements: 0, text: apollos.text });
      expect(withoutRequestId(replay.headers)).toEqual(withoutRequestId(apollos.headers));
      expect(replay.headers['x-request-id']).toMatch(/\S/);
      expect(replay.headers['x-request-id']).not.toBe(apollos.headers['x-request-id']);
    }
    expect(Number(apollos.headers['content-length'])).toBe(Buffer.byteLength(apollos.text));
    expect(apollos.headers['cache-control']).toMatch(/^public, max-age=\d+$/);
    expect(JSON.parse(apollos.text).data.store.products.nodes.map((node: { title: string }) => node.title)).toEqual([
      'Linen Shirt',
      'Wool Coat',
      'Silk Scarf',
    ]);
    // The caller's id is kept, as on any request.
    const named = await read(graph, store, { ...probe, 'x-request-id': 'replay-check-1' });
    expect(named.headers['x-request-id']).toBe('replay-check-1');
    expect(named.text).toBe(apollos.text);
  });

  it('drain the caller’s bucket by each answer’s cost, down to the same THROTTLED refusal with Retry-After', async () => {
    const store = await storeWithThreeProducts();
    await untilCached(slow, store);
    // The bucket is the caller's by store and address: every read so far drained it by 5.
    const reads: Read[] = [];
    for (let attempt = 0; attempt < 40; attempt++) {
      const answer = await read(slow, store);
      reads.push(answer);
      if (answer.status !== 200) break;
    }
    const refused = reads.at(-1) as Read;
    const served = reads.slice(0, -1);
    expect(served.length).toBeGreaterThan(3);
    expect(served.every((answer) => answer.statements === 0)).toBe(true);
    const levels = served.map((answer) => costOf(answer.text).throttleStatus.currentlyAvailable);
    for (let index = 1; index < levels.length; index++) expect(levels[index]).toBe((levels[index - 1] as number) - 5);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    const body = JSON.parse(refused.text) as { data?: unknown; errors: { extensions: { code: string } }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors.map((error) => error.extensions.code)).toEqual(['THROTTLED']);
    expect(costOf(refused.text).throttleStatus.currentlyAvailable).toBeLessThan(5);
  });

  it('leave the trusted-document policy to each client: a client held to trusted documents is refused the same query', async () => {
    const store = await storeWithThreeProducts();
    await untilCached(graph, store);
    for (let attempt = 0; attempt < 2; attempt++) {
      const admin = await read(graph, store, { 'apollographql-client-name': 'admin' });
      expect(admin.status).toBe(400);
      expect(JSON.parse(admin.text).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    }
    expect((await read(graph, store)).statements).toBe(0);
  });

  it('never answer a request with credentials: a signed-in owner’s reads are computed each time', async () => {
    const store = await storeWithThreeProducts();
    await untilCached(graph, store);
    const owner = { authorization: `Bearer ${store.owner.accessToken}` };
    for (let attempt = 0; attempt < 3; attempt++) {
      const answer = await read(graph, store, owner);
      expect(answer.status).toBe(200);
      expect(answer.statements).toBeGreaterThan(0);
      expect(answer.headers['cache-control']).toBe('private, no-store');
    }
  });

  it('count as requests and cache hits in the metrics, under the operation’s name', async () => {
    const store = await storeWithThreeProducts();
    await untilCached(graph, store);
    const metrics = new URL('/metrics', graph.graph.url).href;
    const counts = async () => {
      const samples = await scrapeMetrics(metrics);
      return {
        requests: sumOf(samples, 'commerce_graphql_requests_total', {
          service: 'gateway',
          operation: 'Replayed',
          outcome: 'ok',
        }),
        hits: sumOf(samples, 'commerce_storefront_cache_lookups_total', { result: 'hit' }),
      };
    };
    const before = await counts();
    for (let attempt = 0; attempt < 5; attempt++) expect((await read(graph, store)).statements).toBe(0);
    expect(await counts()).toEqual({ requests: before.requests + 5, hits: before.hits + 5 });
  });
});
