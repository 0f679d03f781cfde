import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CombinedGraphQLErrors } from '@apollo/client';
import { generate } from '@graphql-codegen/cli';
import { parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, eventually, signUpSeller, startTestGraph, type TestGraph } from '@commerce/testkit';
import {
  adjustStock,
  createStockedProduct,
  openSocket,
  type Socket,
  subscribeLive,
} from '@commerce/testkit/realtime-kit';
import { adminClient } from '../../codegen.js';
import { ADMIN_CLIENT_NAME, createAdminClient, manifestHash } from '../../clients/admin/src/client.js';
import {
  CurrentSellerDocument,
  ProductCreateDocument,
  ProductStockDocument,
  SellerLogInDocument,
  StoreOrdersDocument,
  StoreProductsDocument,
} from '../../clients/admin/src/__generated__/graphql.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph();
});
afterAll(async () => {
  await graph.close();
});

interface SentRequest {
  query?: string;
  hash?: string;
  clientName: string | null;
}

/** fetch that notes what the client sent, so tests see that only hashes go over the wire. */
function recordingFetch(sent: SentRequest[]): typeof fetch {
  return async (input, init) => {
    const body = JSON.parse(String(init?.body)) as {
      query?: string;
      extensions?: { persistedQuery?: { sha256Hash?: string } };
    };
    sent.push({
      query: body.query,
      hash: body.extensions?.persistedQuery?.sha256Hash,
      clientName: new Headers(init?.headers).get('apollographql-client-name'),
    });
    return fetch(input, init);
  };
}

async function post(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return (await response.json()) as {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; extensions?: { code?: string } }>;
  };
}

/** The text the manifest holds for a compiled document (what a client without hashes would send). */
function manifestText(document: Parameters<typeof manifestHash>[0]): string {
  const manifest = JSON.parse(
    readFileSync(`${ROOT}clients/admin/src/__generated__/persisted-documents.json`, 'utf8'),
  ) as Record<string, string>;
  const text = manifest[manifestHash(document) ?? ''];
  if (!text) throw new Error('the document is not in the admin manifest');
  return text;
}

const codes = (response: { errors?: Array<{ extensions?: { code?: string } }> }) =>
  (response.errors ?? []).map((error) => error.extensions?.code);

describe('trusted documents for the admin app', () => {
  it("runs the admin app's operations through Apollo Client by their manifest hashes alone", async () => {
    const store = await createStore(graph.client);
    const sent: SentRequest[] = [];
    let token: string | null = null;
    const admin = createAdminClient({
      url: graph.graph.url,
      store: () => store.slug,
      accessToken: () => token,
      fetch: recordingFetch(sent),
    });

    const login = await admin.mutate({
      mutation: SellerLogInDocument,
      variables: { input: { email: store.owner.email, password: store.owner.password } },
    });
    token = login.data?.sellerLogIn.accessToken ?? null;
    expect(token).toEqual(expect.any(String));
    const me = await admin.query({ query: CurrentSellerDocument });
    expect(me.data?.currentSeller?.stores.map((entry) => entry.slug)).toContain(store.slug);
    const created = await admin.mutate({
      mutation: ProductCreateDocument,
      variables: { input: { title: 'Trusted Tee', status: 'ACTIVE', variants: [{ price: '9.00' }] } },
    });
    expect(created.data?.productCreate.userErrors).toEqual([]);
    const products = await admin.query({ query: StoreProductsDocument, variables: { first: 10 } });
    expect(products.data?.store?.products.edges.map((edge) => edge.node.title)).toEqual(['Trusted Tee']);
    const orders = await admin.query({ query: StoreOrdersDocument, variables: { first: 10 } });
    expect(orders.data?.store?.orders.edges).toEqual([]);

    expect(sent).toHaveLength(5);
    for (const request of sent) {
      expect(request.query).toBeUndefined();
      expect(request.clientName).toBe(ADMIN_CLIENT_NAME);
    }
    expect(sent.map((request) => request.hash)).toEqual(
      [
        SellerLogInDocument,
        CurrentSellerDocument,
        ProductCreateDocument,
        StoreProductsDocument,
        StoreOrdersDocument,
      ].map(manifestHash),
    );
  });

  it('refuses an operation that is not in the manifest from the admin app, before it runs', async () => {
    const seller = await signUpSeller(graph.client);
    const admin = createAdminClient({ url: graph.graph.url, accessToken: () => seller.accessToken });
    const unlisted = parse(
      `mutation Unlisted { storeCreate(input: { name: "Not trusted", slug: "not-trusted-${seller.id.slice(-6).toLowerCase()}", currencyCode: "EUR" }) { store { id } } }`,
    );
    const refusal = await admin.mutate({ mutation: unlisted }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(CombinedGraphQLErrors.is(refusal)).toBe(true);
    if (CombinedGraphQLErrors.is(refusal))
      expect(refusal.errors.map((error) => error.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
    const stores = await graph.client.data<{ currentSeller: { stores: unknown[] } }>(
      '{ currentSeller { stores { id } } }',
      {},
      { token: seller.accessToken },
    );
    expect(stores.currentSeller.stores).toEqual([]);

    // Also as plain text: the admin app runs what its manifest lists, and nothing else.
    const asText = await post(
      graph.graph.url,
      { query: '{ currentSeller { id } }' },
      { 'apollographql-client-name': 'admin' },
    );
    expect(codes(asText)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
    expect(asText.data ?? null).toBeNull();
  });
});

describe('automatic persisted queries', () => {
  it('let any other client register a query by its hash and then send the hash alone, at every gateway replica', async () => {
    const store = await createStore(graph.client);
    const query = `query StoreName { store { slug name } } # ${store.slug}`;
    const persistedQuery = { version: 1, sha256Hash: sha256(query) };
    const headers = { 'x-store': store.slug };

    const unknown = await post(graph.graph.url, { extensions: { persistedQuery } }, headers);
    expect(codes(unknown)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    const registered = await post(graph.graph.url, { query, extensions: { persistedQuery } }, headers);
    expect(registered.data).toEqual({ store: { slug: store.slug, name: `Store ${store.slug}` } });
    const byHash = await post(graph.graph.url, { extensions: { persistedQuery } }, headers);
    expect(byHash).toEqual(registered);

    // The cache is Redis: another gateway process knows the hash too.
    const replica = await startTestGraph();
    try {
      expect(await post(replica.graph.url, { extensions: { persistedQuery } }, headers)).toEqual(registered);
    } finally {
      await replica.close();
    }
  });
});

describe('trusted documents only, for every client', () => {
  let strict: TestGraph;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    strict = await startTestGraph({ persistedQueries: { trustedDocumentsOnly: true } });
  });
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.dispose()));
    await strict.close();
  });

  it('runs manifest hashes, refuses anything else, and still serves subscription payloads', async () => {
    const listed = manifestHash(CurrentSellerDocument);
    const byHash = await post(strict.graph.url, { extensions: { persistedQuery: { version: 1, sha256Hash: listed } } });
    expect(byHash).toMatchObject({ data: { __typename: 'Query', currentSeller: null } });
    expect(byHash.errors).toBeUndefined();
    const refused = await post(strict.graph.url, { query: '{ currentSeller { id } }' });
    expect(codes(refused)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);

    // A manifest subscription runs by its text; the gateway's own queries for its payloads are not
    // client documents.
    const store = await createStore(graph.client);
    const product = await createStockedProduct(graph.client, store);
    const socket = openSocket(strict.graph.url, { store: store.slug });
    sockets.push(socket);
    const stock = await subscribeLive<{ inventoryUpdated: { available: number; variant: { sku: string } } }>(
      strict.graph,
      socket,
      manifestText(ProductStockDocument),
      {
        productId: product.id,
      },
    );
    await adjustStock(graph.client, store, product.variantId, 1);
    expect((await stock.waitFor(1))[0]?.inventoryUpdated.variant).toMatchObject({ sku: product.sku });
  });

  it('holds subscriptions over the socket to the same rule: a manifest hash runs without its text, anything else is refused', async () => {
    const store = await createStore(graph.client);
    const product = await createStockedProduct(graph.client, store);
    const socket = openSocket(strict.graph.url, { store: store.slug });
    sockets.push(socket);

    const unlisted = subscribeOnce(socket, {
      query: `subscription ($id: ID!) { inventoryUpdated(productId: $id) { available } }`,
      variables: { id: product.id },
    });
    expect(await unlisted).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);

    const results: unknown[] = [];
    const before = strict.graph.realtime.subscriptions.hub.started;
    socket.client.subscribe(
      {
        query: '',
        variables: { productId: product.id },
        extensions: { persistedQuery: { version: 1, sha256Hash: manifestHash(ProductStockDocument) } },
      },
      { next: (result) => results.push(result), error: (error) => results.push({ error }), complete: () => undefined },
    );
    await eventually(
      'the gateway to hold the subscription',
      () => strict.graph.realtime.subscriptions.hub.started > before,
    );
    await adjustStock(graph.client, store, product.variantId, 2);
    await eventually('the stock change', () => results.length > 0);
    expect(results[0]).toMatchObject({ data: { inventoryUpdated: { variant: { sku: product.sku } } } });
  });
});

/** Subscribes and resolves with the error codes the subscription ended with. */
function subscribeOnce(
  socket: Socket,
  request: { query: string; variables?: Record<string, unknown>; extensions?: Record<string, unknown> },
): Promise<string[]> {
  return new Promise((resolve) => {
    socket.client.subscribe(request, {
      next: () => undefined,
      error: (error) =>
        resolve(
          Array.isArray(error)
            ? error.map((entry: { extensions?: { code?: string } }) => String(entry.extensions?.code))
            : [String(error)],
        ),
      complete: () => resolve([]),
    });
  });
}

describe('trusted documents for the admin app, over the subscription socket', () => {
  const sockets: Socket[] = [];
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.dispose()));
  });

  it("refuses a socket that names itself the admin app anything but the manifest's subscriptions; other clients are free", async () => {
    const store = await createStore(graph.client);
    const product = await createStockedProduct(graph.client, store);
    const unlisted = {
      query: `subscription ($id: ID!) { inventoryUpdated(productId: $id) { available } }`,
      variables: { id: product.id },
    };

    const admin = openSocket(graph.graph.url, { store: store.slug, clientName: ADMIN_CLIENT_NAME });
    sockets.push(admin);
    expect(await subscribeOnce(admin, unlisted)).toEqual(['PERSISTED_QUERY_NOT_ALLOWED']);
    const listed = await subscribeLive<{ inventoryUpdated: { variant: { sku: string } } }>(
      graph.graph,
      admin,
      manifestText(ProductStockDocument),
      { productId: product.id },
    );

    const storefront = openSocket(graph.graph.url, { store: store.slug });
    sockets.push(storefront);
    const free = await subscribeLive<{ inventoryUpdated: { available: number } }>(
      graph.graph,
      storefront,
      unlisted.query,
      unlisted.variables,
    );

    await adjustStock(graph.client, store, product.variantId, 1);
    expect((await listed.waitFor(1))[0]?.inventoryUpdated.variant).toMatchObject({ sku: product.sku });
    expect(await free.waitFor(1)).toHaveLength(1);
  });
});

describe('the admin manifest', () => {
  it('is current: pnpm codegen writes persisted-documents.json and the typed documents from clients/admin/src/operations', async () => {
    const outputs: Array<{ filename: string; content: string }> = await generate(
      { overwrite: true, generates: adminClient, cwd: ROOT, silent: true },
      false,
    );
    expect(outputs.map((output) => output.filename)).toContain(
      'clients/admin/src/__generated__/persisted-documents.json',
    );
    for (const output of outputs) {
      expect(readFileSync(`${ROOT}${output.filename}`, 'utf8'), `${output.filename} is stale: run pnpm codegen`).toBe(
        output.content,
      );
    }
  });

  it('holds each document under the sha256 of its text', () => {
    const manifest = JSON.parse(
      readFileSync(`${ROOT}clients/admin/src/__generated__/persisted-documents.json`, 'utf8'),
    ) as Record<string, string>;
    expect(Object.keys(manifest).length).toBeGreaterThanOrEqual(5);
    for (const [hash, document] of Object.entries(manifest)) expect(hash).toBe(`sha256:${sha256(document)}`);
  });
});
