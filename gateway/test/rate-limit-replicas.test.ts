import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forkGraph, type GraphProcess } from '@commerce/testkit/graph-process';
import { createStore, startIsolatedTestGraph, testRealtime, type IsolatedTestGraph } from '@commerce/testkit';
import { createStockedProduct } from '@commerce/testkit/realtime-kit';

let seeded: IsolatedTestGraph;
let replicas: GraphProcess[] = [];

beforeAll(async () => {
  // The replicas' outbox relays must not take the run's events: a database of their own.
  seeded = await startIsolatedTestGraph();
  const env = {
    REDIS_URL: testRealtime().redisUrl,
    REDIS_KEY_PREFIX: `commerce-test:replicas-${randomUUID().slice(0, 8)}:`,
    GRAPHQL_MAX_COST: '10',
    RATE_LIMIT_ANONYMOUS_BUCKET: '10',
    // Slow enough that nothing comes back while the test runs.
    RATE_LIMIT_ANONYMOUS_RESTORE_RATE: '0.01',
  };
  replicas = await Promise.all([forkGraph(seeded.databaseUrl, env), forkGraph(seeded.databaseUrl, env)]);
}, 120_000);
afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()));
  await seeded?.close();
});

async function post(url: string, store: string, first = 3): Promise<{ status: number; available: number | undefined }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-store': store },
    body: JSON.stringify({ query: `{ store { products(first: ${first}) { nodes { id } } } }` }),
  });
  const body = (await response.json()) as {
    extensions?: { cost?: { throttleStatus: { currentlyAvailable: number } } };
  };
  return { status: response.status, available: body.extensions?.cost?.throttleStatus.currentlyAvailable };
}

describe('rate limits across gateway processes', () => {
  it('two gateway processes on one Redis drain one bucket per caller', async () => {
    const store = await createStore(seeded.client);
    for (let i = 0; i < 3; i++) await createStockedProduct(seeded.client, store);
    const [one, two] = replicas.map((replica) => replica.url);
    if (!one || !two) throw new Error('two replicas');
    // Each listing of three products costs 5 of the caller's 10 points, whichever process answers.
    expect(await post(one, store.slug)).toEqual({ status: 200, available: 5 });
    expect(await post(two, store.slug)).toEqual({ status: 200, available: 0 });
    expect((await post(one, store.slug)).status).toBe(429);
    expect((await post(two, store.slug)).status).toBe(429);
  });

  it('gives back what an answer did not use, to the bucket every process reads', async () => {
    const store = await createStore(seeded.client);
    for (let i = 0; i < 3; i++) await createStockedProduct(seeded.client, store);
    const [one, two] = replicas.map((replica) => replica.url);
    if (!one || !two) throw new Error('two replicas');
    // first: 8 takes 10 points; three products came back (5), so 5 go back.
    expect(await post(one, store.slug, 8)).toEqual({ status: 200, available: 5 });
    // Refunds owed to a caller who went elsewhere reach Redis within a second.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await post(two, store.slug)).toEqual({ status: 200, available: 0 });
  });
});
