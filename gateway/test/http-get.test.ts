import { Client, fetchExchange, gql } from '@urql/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, signUpCustomer, startTestGraph, type TestGraph, type TestStore } from '@commerce/testkit';

const MAX_AGE = 45;
const STOREFRONT_QUERY = gql`
  query Storefront {
    store {
      slug
      products(first: 5) {
        edges {
          node {
            title
          }
        }
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
beforeAll(async () => {
  graph = await startTestGraph({ browser: { publicMaxAgeSeconds: MAX_AGE } });
  store = await createStore(graph.client);
});
afterAll(async () => {
  await graph.close();
});

interface Sent {
  method: string;
  contentType: string | null;
  response: Response;
}

/** urql's default client (its own exchanges and fetch options), with fetch noting what went over the wire. */
function urqlClient(headers: Record<string, string>, sent: Sent[]): Client {
  return new Client({
    url: graph.graph.url,
    exchanges: [fetchExchange],
    fetchOptions: { headers },
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      sent.push({
        method: init?.method ?? 'GET',
        contentType: new Headers(init?.headers).get('content-type'),
        response: response.clone(),
      });
      return response;
    },
  });
}

function get(query: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${graph.graph.url}?query=${encodeURIComponent(query)}`, { headers });
}

describe('queries over GET', () => {
  it("runs urql's default client: queries over GET with no special header, mutations over POST", async () => {
    const sent: Sent[] = [];
    const client = urqlClient({ 'x-store': store.slug }, sent);
    const result = await client.query(STOREFRONT_QUERY, {}).toPromise();
    expect(result.error).toBeUndefined();
    expect(result.data).toEqual({ store: { slug: store.slug, products: { edges: [] } } });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'GET', contentType: null });
    expect(sent[0]?.response.status).toBe(200);

    const customer = await signUpCustomer(graph.client, store);
    const logIn = await client
      .mutation(
        gql`mutation LogIn($input: CustomerLogInInput!) { customerLogIn(input: $input) { accessToken userErrors { code } } }`,
        { input: { email: customer.email, password: customer.password } },
      )
      .toPromise();
    expect(logIn.error).toBeUndefined();
    expect(logIn.data.customerLogIn.accessToken).toEqual(expect.any(String));
    expect(sent[1]?.method).toBe('POST');
  });

  it('lets browsers and CDNs keep anonymous storefront answers as long as the storefront cache, per store, language and currency', async () => {
    const response = await get('{ store { slug } }', { 'x-store': store.slug });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe(`public, max-age=${MAX_AGE}`);
    const vary = (response.headers.get('vary') ?? '').split(',').map((name) => name.trim());
    expect(vary).toEqual(
      expect.arrayContaining(['x-store', 'authorization', 'accept-language', 'x-currency', 'origin', 'host']),
    );
  });

  it('marks answers for a signed-in caller, and failed answers, private and not to be stored', async () => {
    const signedIn = await get('{ currentSeller { id } }', { authorization: `Bearer ${store.owner.accessToken}` });
    expect(signedIn.status).toBe(200);
    expect(((await signedIn.json()) as { data: { currentSeller: { id: string } } }).data.currentSeller.id).toBe(
      store.owner.id,
    );
    expect(signedIn.headers.get('cache-control')).toBe('private, no-store');

    const unknownStore = await get('{ store { products(first: 1) { edges { node { id } } } } }', {
      'x-store': 'no-such-store-anywhere',
    });
    expect(((await unknownStore.json()) as { errors?: unknown[] }).errors?.length).toBeGreaterThan(0);
    expect(unknownStore.headers.get('cache-control')).toBe('private, no-store');

    const invalid = await get('{ store { noSuchField } }', { 'x-store': store.slug });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('cache-control')).toBe('private, no-store');
  });

  it('refuses mutations over GET with 405, and runs nothing a cross-site form could post', async () => {
    const overGet = await get(
      `mutation { storeCreate(input: { name: "x", slug: "get-${Date.now()}", currencyCode: "EUR" }) { store { id } } }`,
      {
        authorization: `Bearer ${store.owner.accessToken}`,
      },
    );
    expect(overGet.status).toBe(405);
    expect(overGet.headers.get('allow')).toBe('POST');

    // A "simple" cross-site request (no preflight): text/plain or a form body is not GraphQL here.
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const simple = await fetch(graph.graph.url, {
        method: 'POST',
        headers: { 'content-type': contentType, origin: 'https://attacker.example' },
        body: JSON.stringify({ query: 'mutation { logOut(refreshToken: "x") { userErrors { code } } }' }),
      });
      expect(simple.status, contentType).toBe(400);
      expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});
