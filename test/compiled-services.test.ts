// The deployment's processes run compiled (`pnpm build`, node's "compiled" export condition; see the
// Dockerfile): the gateway and the five subgraphs started that way serve the graph, and answer the
// storefront's reads byte for byte as the same processes run from the sources with tsx do.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPILED_PROCESS_EXEC_ARGV,
  createIsolatedDatabase,
  createProduct,
  createStore,
  freePort,
  GraphClient,
  PROCESS_EXEC_ARGV,
  startServiceProcess,
  type ServiceProcess,
} from '@commerce/testkit';
import { stockedProductInput } from '@commerce/testkit/checkout-kit';
import { SUBGRAPHS, subgraphUrlVariable } from '../gateway/src/config.js';

let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
const processes: ServiceProcess[] = [];
let compiledGateway: ServiceProcess;
let sourcesGateway: ServiceProcess;

/** The gateway and `subgraphs` started one way, over `env`; the subgraphs left out are not routed to. */
async function startDeployment(
  env: Record<string, string>,
  subgraphs: readonly (typeof SUBGRAPHS)[number][],
  entry: (directory: string) => string,
  execArgv: readonly string[],
): Promise<ServiceProcess> {
  const started = await Promise.all(
    subgraphs.map(async (name) => ({
      name,
      process: await startServiceProcess(entry(`subgraphs/${name}`), await freePort(), env, execArgv),
    })),
  );
  processes.push(...started.map((one) => one.process));
  const gateway = await startServiceProcess(
    entry('gateway'),
    await freePort(),
    {
      ...env,
      STOREFRONT_CACHE_TTL_SECONDS: '0',
      ...Object.fromEntries(started.map((one) => [subgraphUrlVariable(one.name), one.process.url])),
    },
    execArgv,
  );
  processes.push(gateway);
  return gateway;
}

beforeAll(async () => {
  const built = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { encoding: 'utf8' });
  expect(built.status, built.stderr).toBe(0);
  database = await createIsolatedDatabase();
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  const env = {
    DATABASE_URL: database.url,
    AUTH_SIGNING_KEY: JSON.stringify({ ...jwk, kid: randomUUID() }),
    REDIS_URL: '',
  };
  [compiledGateway, sourcesGateway] = await Promise.all([
    startDeployment(env, SUBGRAPHS, (directory) => `${directory}/dist/index.js`, COMPILED_PROCESS_EXEC_ARGV),
    startDeployment(env, ['store', 'catalog'], (directory) => `${directory}/src/index.ts`, PROCESS_EXEC_ARGV),
  ]);
}, 360_000);

afterAll(async () => {
  await Promise.all(processes.map((service) => service.stop()));
  await database?.drop();
});

describe('compiled services', () => {
  it('serve sign-up, a product and the storefront, and answer as the sources do, byte for byte', async () => {
    const client = new GraphClient(compiledGateway.url);
    const store = await createStore(client);
    await createProduct(client, store, stockedProductInput([{ price: '5.00', stock: 3 }], { title: 'Built Tee' }));
    await createProduct(client, store, stockedProductInput([{ price: '7.50', stock: 0 }], { title: 'Built Mug' }));

    const reads = [
      'query Listing { store { name products(first: 24, sortKey: TITLE) { edges { cursor node { id title handle priceRange { minVariantPrice { amount currencyCode } } images { url altText } variants(first: 10) { edges { node { id title price { amount currencyCode } inventory { available } } } } } } pageInfo { hasNextPage endCursor } } } }',
      'query Search { store { products(first: 24, filter: { query: "tee" }) { edges { node { id title handle priceRange { minVariantPrice { amount } } } } } } }',
      'query Missing { store { product(handle: "no-such-product") { id } } }',
    ];
    for (const query of reads) {
      const answers = await Promise.all(
        [compiledGateway, sourcesGateway].map(async (gateway) => {
          const response = await fetch(gateway.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-store': store.slug },
            body: JSON.stringify({ query }),
          });
          return { status: response.status, body: await response.text() };
        }),
      );
      expect(answers[0]?.status, query).toBe(200);
      expect(answers[0]?.body, query).not.toContain('"errors"');
      expect(answers[0], query).toEqual(answers[1]);
    }
    const listing = await client.data<{ store: { products: { edges: Array<{ node: { title: string } }> } } }>(
      reads[0] ?? '',
      {},
      { store: store.slug },
    );
    expect(listing.store.products.edges.map((edge) => edge.node.title)).toEqual(['Built Mug', 'Built Tee']);
  });
});
