import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, sharedTestGraph, type SharedTestGraph, type TestStore } from '@commerce/testkit';
import { ADMIN_CLIENT_NAME } from '../../clients/admin/src/client.js';

let graph: SharedTestGraph;
let store: TestStore;
beforeAll(async () => {
  graph = await sharedTestGraph();
  store = await createStore(graph.client);
});
afterAll(async () => {
  await graph.close();
});

const JSON_TYPE = { 'content-type': 'application/json' };

/** A raw request to /graphql: a body (serialized unless it is a string), a method, headers, a query string. */
function send(request: {
  body?: unknown;
  method?: string;
  headers?: Record<string, string>;
  search?: string;
}): Promise<Response> {
  const body =
    request.body === undefined
      ? undefined
      : typeof request.body === 'string'
        ? request.body
        : JSON.stringify(request.body);
  return fetch(`${graph.url}${request.search ?? ''}`, {
    method: request.method ?? 'POST',
    headers: { ...JSON_TYPE, ...request.headers },
    body,
  });
}

interface Refusal {
  /** What the client did wrong. */
  what: string;
  /** The code of the (first) error the answer carries. */
  code: string;
  /** The HTTP status: 4xx for a request refused before execution; 200 where execution ran (GraphQL over HTTP). */
  status: number;
  request(): Promise<Response>;
}

/**
 * Every refusal the gateway makes, with its status. A new refusal code gets a row here (and, when
 * it is thrown before execution, a status in src/refusal-status.ts).
 */
const REFUSALS: Refusal[] = [
  { what: 'a body that is not JSON', code: 'BAD_REQUEST', status: 400, request: () => send({ body: '{"query": ' }) },
  {
    what: 'a body over the size limit',
    code: 'BAD_REQUEST',
    status: 413,
    request: () => send({ body: { query: `{ __typename }${' '.repeat(1024 * 1024)}` } }),
  },
  {
    what: 'a method other than GET and POST',
    code: 'BAD_REQUEST',
    status: 405,
    request: () => send({ method: 'PUT', body: { query: '{ __typename }' } }),
  },
  { what: 'no query', code: 'BAD_REQUEST', status: 400, request: () => send({ body: { variables: {} } }) },
  {
    what: 'a GET without a query',
    code: 'BAD_REQUEST',
    status: 400,
    request: () => send({ method: 'GET', headers: { accept: 'application/json' } }),
  },
  {
    what: 'a mutation over GET',
    code: 'BAD_REQUEST',
    status: 405,
    request: () =>
      send({
        method: 'GET',
        search: `?query=${encodeURIComponent('mutation { logOut(refreshToken: "x") { userErrors { code } } }')}`,
      }),
  },
  {
    what: 'a document that does not parse',
    code: 'GRAPHQL_PARSE_FAILED',
    status: 400,
    request: () => send({ body: { query: '{ store { ' } }),
  },
  {
    what: 'a field the schema does not have',
    code: 'GRAPHQL_VALIDATION_FAILED',
    status: 400,
    request: () => send({ body: { query: '{ noSuchField }' } }),
  },
  {
    what: 'an operation name the document does not have',
    code: 'OPERATION_RESOLUTION_FAILURE',
    status: 400,
    request: () => send({ body: { query: 'query A { __typename }', operationName: 'B' } }),
  },
  {
    what: 'several operations and none named',
    code: 'OPERATION_RESOLUTION_FAILURE',
    status: 400,
    request: () => send({ body: { query: 'query A { __typename } query B { __typename }' } }),
  },
  {
    what: 'a subscription over HTTP (subscriptions run on the WebSocket)',
    code: 'BAD_REQUEST',
    status: 400,
    request: () => send({ body: { query: 'subscription { inventoryUpdated(productId: "x") { available } }' } }),
  },
  {
    what: 'a variable of the wrong type',
    code: 'BAD_USER_INPUT',
    status: 400,
    request: () =>
      send({
        body: {
          query: 'query ($first: Int) { store { products(first: $first) { edges { cursor } } } }',
          variables: { first: 'many' },
        },
      }),
  },
  {
    what: 'a NUL character in a variable, which PostgreSQL cannot store',
    code: 'BAD_USER_INPUT',
    status: 400,
    request: () =>
      send({
        headers: { 'x-store': store.slug },
        body: {
          query: 'query ($handle: String!) { store { product(handle: $handle) { id } } }',
          variables: { handle: 'a\u0000' },
        },
      }),
  },
  {
    what: 'fields nested too deep',
    code: 'MAX_DEPTH_EXCEEDED',
    status: 400,
    request: () =>
      send({
        body: {
          query: `{ store { categories(first: 1) { nodes { ${'children { '.repeat(12)} id ${'} '.repeat(12)} } } } }`,
        },
      }),
  },
  {
    what: 'too many aliases',
    code: 'MAX_ALIASES_EXCEEDED',
    status: 400,
    request: () =>
      send({
        body: { query: `{ ${Array.from({ length: 21 }, (_, index) => `a${index}: currentSeller { id }`).join(' ')} }` },
      }),
  },
  {
    what: 'too many tokens',
    code: 'MAX_TOKENS_EXCEEDED',
    status: 400,
    request: () => send({ body: { query: `{ ${'__typename '.repeat(1_000)} }` } }),
  },
  {
    what: 'too many directives',
    code: 'MAX_DIRECTIVES_EXCEEDED',
    status: 400,
    request: () => send({ body: { query: `{ ${'__typename @include(if: true) '.repeat(21)} }` } }),
  },
  {
    what: 'a document too large',
    code: 'MAX_DOCUMENT_SIZE_EXCEEDED',
    status: 400,
    request: () => send({ body: { query: `# ${'x'.repeat(40_000)}\n{ __typename }` } }),
  },
  {
    what: 'an unknown persisted-query hash (the APQ protocol: the client then sends the text)',
    code: 'PERSISTED_QUERY_NOT_FOUND',
    status: 200,
    request: () => send({ body: { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } } }),
  },
  {
    what: "an admin client's operation that is not in its manifest",
    code: 'PERSISTED_QUERY_NOT_ALLOWED',
    status: 400,
    request: () =>
      send({ headers: { 'apollographql-client-name': ADMIN_CLIENT_NAME }, body: { query: '{ __typename }' } }),
  },
  {
    what: 'a store that does not exist (found while executing)',
    code: 'NOT_FOUND',
    status: 200,
    request: () =>
      send({
        headers: { 'x-store': 'no-such-store-anywhere' },
        body: { query: '{ store { products(first: 1) { edges { cursor } } } }' },
      }),
  },
  {
    what: 'a token that is not valid (found while executing)',
    code: 'UNAUTHENTICATED',
    status: 200,
    request: () =>
      send({ headers: { authorization: 'Bearer not-a-token' }, body: { query: '{ currentSeller { id } }' } }),
  },
];

describe('HTTP statuses of refusals', () => {
  it.each(REFUSALS)('$what: $status $code', async ({ request, code, status }) => {
    const response = await request();
    const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    expect({ status: response.status, code: body.errors?.[0]?.extensions?.code }).toEqual({ status, code });
    expect(response.status).not.toBe(500);
  });

  it('never answers a refusal with 500, whatever the store', async () => {
    const response = await send({
      headers: { 'x-store': store.slug, 'apollographql-client-name': ADMIN_CLIENT_NAME },
      body: { query: '{ store { slug } }' },
    });
    expect(response.status).toBe(400);
  });
});
