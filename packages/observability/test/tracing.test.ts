// The gateway and two subgraphs as separate processes, each started as deployments start them
// (their entry files, tracing preloaded), exporting to a small OTLP/HTTP receiver: one storefront
// request that needs both subgraphs is one trace, from the gateway's HTTP span through
// @apollo/gateway's plan and fetches to each subgraph's HTTP, GraphQL and SQL spans.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createIsolatedDatabase,
  createProduct,
  createStore,
  eventually,
  freePort,
  GraphClient,
  startOtlpReceiver,
  startServiceProcess,
  type OtlpReceiver,
  type ServiceProcess,
} from '@commerce/testkit';
import { stockedProductInput } from '@commerce/testkit/checkout-kit';

let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
let receiver: OtlpReceiver;
const processes: ServiceProcess[] = [];
let gateway: ServiceProcess;
let catalog: ServiceProcess;

beforeAll(async () => {
  database = await createIsolatedDatabase();
  receiver = await startOtlpReceiver();
  // The processes must share one signing key, as a deployment's do.
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' });
  const [storePort, catalogPort, gatewayPort] = [await freePort(), await freePort(), await freePort()];
  const env = {
    DATABASE_URL: database.url,
    AUTH_SIGNING_KEY: JSON.stringify({ ...jwk, kid: randomUUID() }),
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    // Export within a moment rather than the default 5 s.
    OTEL_BSP_SCHEDULE_DELAY: '100',
    LOG_LEVEL: 'info',
    REDIS_URL: '',
  };
  const [store, catalogProcess] = await Promise.all([
    startServiceProcess('subgraphs/store/src/index.ts', storePort, { ...env, OTEL_SERVICE_NAME: 'store' }),
    startServiceProcess('subgraphs/catalog/src/index.ts', catalogPort, env),
  ]);
  catalog = catalogProcess;
  processes.push(store, catalog);
  gateway = await startServiceProcess('gateway/src/index.ts', gatewayPort, {
    ...env,
    STORE_SUBGRAPH_URL: store.url,
    CATALOG_SUBGRAPH_URL: catalog.url,
    STOREFRONT_CACHE_TTL_SECONDS: '0',
  });
  processes.push(gateway);
}, 180_000);

afterAll(async () => {
  await Promise.all(processes.map((service) => service.stop()));
  await receiver?.close();
  await database?.drop();
});

describe('traces', () => {
  it('follow one request through the gateway, two subgraphs and their SQL as one trace', async () => {
    const client = new GraphClient(gateway.url);
    const store = await createStore(client);
    await createProduct(client, store, stockedProductInput([{ price: '5.00', stock: 3 }], { title: 'Traced Tee' }));

    const traceId = randomBytes(16).toString('hex');
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-store': store.slug,
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
      body: JSON.stringify({ query: 'query Storefront { store { name products(first: 5) { nodes { title } } } }' }),
    });
    const body = (await response.json()) as {
      data: { store: { name: string; products: { nodes: Array<{ title: string }> } } };
    };
    expect(body.data.store.products.nodes.map((node) => node.title)).toEqual(['Traced Tee']);
    expect(response.headers.get('x-request-id')).toBe(traceId);

    const trace = () => receiver.spans().filter((span) => span.traceId === traceId);
    const pgSpans = (service: string) =>
      trace().filter((span) => span.service === service && span.scope.includes('instrumentation-pg'));
    const gatewaySpanNames = () =>
      new Set(
        trace()
          .filter((span) => span.service === 'gateway' && span.scope === 'apollo/gateway-js')
          .map((span) => span.name),
      );
    // Spans are exported as they end, the outermost last: wait for the whole tree.
    const roots = () => {
      const ids = new Set(trace().map((span) => span.spanId));
      return trace().filter((span) => span.parentSpanId === null || !ids.has(span.parentSpanId));
    };
    await eventually(
      "the SQL spans of both subgraphs, the gateway's request span, and no span without its parent but the root",
      () =>
        pgSpans('store').length > 0 &&
        pgSpans('catalog').length > 0 &&
        gatewaySpanNames().has('gateway.request') &&
        roots().length === 1,
      60_000,
    );

    const spans = trace();
    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(['gateway', 'store', 'catalog']));
    // @apollo/gateway's own spans: the plan and one fetch per subgraph.
    expect([...gatewaySpanNames()]).toEqual(
      expect.arrayContaining(['gateway.request', 'gateway.plan', 'gateway.fetch']),
    );
    // Each subgraph answered under the gateway's fetch: its HTTP server span, GraphQL execution and SQL.
    for (const service of ['store', 'catalog']) {
      expect(
        spans.some((span) => span.service === service && span.scope.includes('instrumentation-http')),
        `${service}: HTTP span`,
      ).toBe(true);
      expect(
        spans.some((span) => span.service === service && span.scope.includes('instrumentation-graphql')),
        `${service}: GraphQL spans`,
      ).toBe(true);
    }
    // One tree: every span's parent is in the trace, but for the root: the gateway's HTTP span, child of the caller's.
    expect(roots()).toMatchObject([{ service: 'gateway', scope: expect.stringContaining('instrumentation-http') }]);

    // The gateway's line for the request carries the trace id (and took it as the request id).
    await eventually('the request line', () => gateway.output().includes(`"traceId":"${traceId}"`));
    const line = gateway
      .output()
      .split('\n')
      .slice(0, -1)
      .filter((text) => text.startsWith('{'))
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find((entry) => entry.msg === 'graphql request' && entry.traceId === traceId);
    expect(line).toMatchObject({ requestId: traceId, operation: 'Storefront', service: 'gateway' });

    // Run apart, a subgraph serves its own figures at /metrics.
    const catalogMetrics = await (await fetch(catalog.url.replace(/\/graphql$/, '/metrics'))).text();
    expect(catalogMetrics).toMatch(
      /^commerce_graphql_requests_total\{service="catalog",operation="Storefront__catalog__\d+",outcome="ok"\} 1$/m,
    );
  }, 120_000);

  it('are sent before a process stopped with SIGTERM exits, though their batch was not due', async () => {
    // A batch due only in ten minutes: what the receiver gets, the stop flushed.
    const port = await freePort();
    const subgraph = await startServiceProcess('subgraphs/store/src/index.ts', port, {
      DATABASE_URL: database.url,
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_BSP_SCHEDULE_DELAY: '600000',
      OTEL_SERVICE_NAME: 'store-stopping',
      REDIS_URL: '',
    });
    processes.push(subgraph);
    const traceId = randomBytes(16).toString('hex');
    const response = await fetch(subgraph.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
    });
    expect(response.status).toBe(200);
    const spansOfTrace = () =>
      receiver.spans().filter((span) => span.traceId === traceId && span.service === 'store-stopping');
    expect(spansOfTrace()).toEqual([]);
    await subgraph.stop();
    expect(spansOfTrace().length).toBeGreaterThan(0);
  }, 120_000);
});
