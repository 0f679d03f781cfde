import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, startTestGraph, unique, type TestGraph } from '@commerce/testkit';

const STOREFRONT = 'http://localhost:3000';
const ELSEWHERE = 'https://attacker.example';

/** DNS as the test publishes it, for verifying custom domains (the real resolver sits behind the same interface). */
const dns = {
  records: new Map<string, string[][]>(),
  async resolveTxt(name: string): Promise<string[][]> {
    return this.records.get(name) ?? [];
  },
};

let graph: TestGraph;
beforeAll(async () => {
  graph = await startTestGraph({ dnsResolver: dns, browser: { corsOrigins: [STOREFRONT], corsMaxAgeSeconds: 600 } });
});
afterAll(async () => {
  await graph.close();
});

/** A browser's preflight before a POST with the headers a storefront or Apollo Client sends. */
function preflight(
  url: string,
  origin: string,
  headers = 'authorization, content-type, x-store, apollographql-client-name, apollographql-client-version, accept-language, x-currency',
) {
  return fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
  });
}

function listed(header: string | null): string[] {
  return (header ?? '')
    .split(',')
    .map((item) => item.trim().toLowerCase())
    .filter(Boolean);
}

describe('CORS preflight', () => {
  it("answers the storefront's origin with 204 and every header its clients send", async () => {
    const response = await preflight(graph.graph.url, STOREFRONT);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(STOREFRONT);
    expect(listed(response.headers.get('access-control-allow-methods'))).toEqual(
      expect.arrayContaining(['get', 'post']),
    );
    expect(listed(response.headers.get('access-control-allow-headers'))).toEqual(
      expect.arrayContaining([
        'authorization',
        'x-store',
        'content-type',
        'apollographql-client-name',
        'apollographql-client-version',
        'apollo-require-preflight',
        'accept-language',
        'x-currency',
        'x-request-id',
        'traceparent',
      ]),
    );
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(listed(response.headers.get('vary'))).toContain('origin');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('gives an origin that is not allowed no allow headers', async () => {
    const response = await preflight(graph.graph.url, ELSEWHERE);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-headers')).toBeNull();
    expect(listed(response.headers.get('vary'))).toContain('origin');
  });

  it("admits a store's custom domain once it is verified, and no longer once removed", async () => {
    const store = await createStore(graph.client);
    const asOwner = { token: store.owner.accessToken, store: store.slug };
    const hostname = `${unique('shop')}.example.com`;
    const added = await graph.client.data<{
      storeDomainAdd: { domain: { id: string; verificationRecord: { name: string; value: string } } };
    }>(
      `mutation ($input: StoreDomainAddInput!) { storeDomainAdd(input: $input) { domain { id verificationRecord { name value } } } }`,
      { input: { hostname } },
      asOwner,
    );
    const { id, verificationRecord } = added.storeDomainAdd.domain;
    expect(
      (await preflight(graph.graph.url, `https://${hostname}`)).headers.get('access-control-allow-origin'),
    ).toBeNull();

    dns.records.set(verificationRecord.name, [[verificationRecord.value]]);
    const verified = await graph.client.data(
      `mutation ($input: StoreDomainVerifyInput!) { storeDomainVerify(input: $input) { domain { verified } } }`,
      { input: { id } },
      asOwner,
    );
    expect(verified.storeDomainVerify.domain.verified).toBe(true);
    for (const origin of [`https://${hostname}`, `http://${hostname}:8080`]) {
      const admitted = await preflight(graph.graph.url, origin);
      expect(admitted.status).toBe(204);
      expect(admitted.headers.get('access-control-allow-origin')).toBe(origin);
      expect(listed(admitted.headers.get('access-control-allow-headers'))).toContain('authorization');
    }
    // Only the hostname itself: not its subdomains, not other schemes.
    expect(
      (await preflight(graph.graph.url, `https://evil.${hostname}`)).headers.get('access-control-allow-origin'),
    ).toBeNull();
    expect(
      (await preflight(graph.graph.url, `ftp://${hostname}`)).headers.get('access-control-allow-origin'),
    ).toBeNull();

    await graph.client.data(
      `mutation ($input: StoreDomainRemoveInput!) { storeDomainRemove(input: $input) { removedDomainId } }`,
      { input: { id } },
      asOwner,
    );
    expect(
      (await preflight(graph.graph.url, `https://${hostname}`)).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });
});

describe('CORS on answers', () => {
  it('lets the allowed origin read the answer and the headers it needs', async () => {
    const response = await fetch(graph.graph.url, {
      method: 'POST',
      headers: { origin: STOREFRONT, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(STOREFRONT);
    expect(listed(response.headers.get('access-control-expose-headers'))).toContain('retry-after');
    expect(listed(response.headers.get('vary'))).toContain('origin');
  });

  it('answers another origin without letting its page read the answer', async () => {
    const response = await fetch(graph.graph.url, {
      method: 'POST',
      headers: { origin: ELSEWHERE, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS_ORIGINS=*', () => {
  let open: TestGraph;
  beforeAll(async () => {
    open = await startTestGraph({ browser: { corsOrigins: [STOREFRONT, '*'] } });
  });
  afterAll(async () => {
    await open.close();
  });

  it('lets any origin read anonymously over GET, and nothing more', async () => {
    const refused = await preflight(open.graph.url, ELSEWHERE);
    expect(refused.headers.get('access-control-allow-origin')).toBe(ELSEWHERE);
    expect(listed(refused.headers.get('access-control-allow-methods'))).toEqual(['get']);
    expect(listed(refused.headers.get('access-control-allow-headers'))).not.toContain('authorization');
    expect(listed(refused.headers.get('access-control-allow-headers'))).not.toContain('content-type');
    expect(listed(refused.headers.get('access-control-allow-headers'))).toContain('x-store');

    const read = await fetch(`${open.graph.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { origin: ELSEWHERE },
    });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBe(ELSEWHERE);
    const signedIn = await fetch(`${open.graph.url}?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { origin: ELSEWHERE, authorization: 'Bearer x' },
    });
    expect(signedIn.headers.get('access-control-allow-origin')).toBeNull();

    // A listed origin keeps every header.
    expect(listed((await preflight(open.graph.url, STOREFRONT)).headers.get('access-control-allow-headers'))).toContain(
      'authorization',
    );
  });
});
