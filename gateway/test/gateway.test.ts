import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStore, ownerPrisma, signUpSeller, startTestGraph, unique, type TestGraph } from '@commerce/testkit';
import type { PrismaClient } from '@commerce/database';

// The all-in-one graph calls its subgraphs in process; separate deployments call them over HTTP.
// Both must answer alike.
describe.each(['in-process', 'http'] as const)('the gateway, calling its subgraphs %s', (subgraphTransport) => {
  let graph: TestGraph;
  let owner: PrismaClient;
  beforeAll(async () => {
    graph = await startTestGraph({ subgraphTransport });
    owner = ownerPrisma();
  });
  afterAll(async () => {
    await owner.$disconnect();
    await graph.close();
  });

  const origin = () => new URL(graph.graph.url).origin;

  it('answers /healthz, and /readyz reports the database and every subgraph reachable', async () => {
    expect((await fetch(`${origin()}/healthz`)).status).toBe(200);
    const ready = await fetch(`${origin()}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      ready: true,
      database: true,
      subgraphs: { store: true, catalog: true, customer: true, order: true, analytics: true },
    });
  });

  it('serves the public keys as JWKS, and access tokens verify against them (EdDSA, kid, issuer, audience)', async () => {
    const seller = await signUpSeller(graph.client);
    const jwks = (await (await fetch(`${origin()}/.well-known/jwks.json`)).json()) as {
      keys: Array<Record<string, unknown>>;
    };
    expect(jwks.keys[0]).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      alg: 'EdDSA',
      use: 'sig',
      kid: expect.any(String),
    });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const { payload, protectedHeader } = await jwtVerify(
      seller.accessToken,
      createRemoteJWKSet(new URL(`${origin()}/.well-known/jwks.json`)),
      {
        algorithms: ['EdDSA'],
        audience: 'commerce:seller',
        issuer: 'commerce-graph',
      },
    );
    expect(protectedHeader.kid).toBe(jwks.keys[0]?.kid);
    expect(payload.exp).toBeGreaterThan(Date.now() / 1000);
  });

  it("maps a request's host to the store whose custom domain it is, only when verified", async () => {
    const store = await createStore(graph.client);
    const storeId = (await owner.store.findUniqueOrThrow({ where: { slug: store.slug } })).id;
    const verified = `${unique('shop')}.example.com`;
    const unverified = `${unique('shop')}.example.com`;
    await owner.storeDomain.create({
      data: { storeId, hostname: verified, verificationToken: 'a', verifiedAt: new Date() },
    });
    await owner.storeDomain.create({ data: { storeId, hostname: unverified, verificationToken: 'b' } });
    const query = `{ store { slug } }`;
    const mapped = await graph.client.data(
      query,
      {},
      { headers: { 'x-forwarded-host': `${verified.toUpperCase()}:443` } },
    );
    expect(mapped.store).toEqual({ slug: store.slug });
    const refused = await graph.client.data(query, {}, { headers: { 'x-forwarded-host': unverified } });
    expect(refused.store).toBeNull();
  });

  it('forwards X-Store and Authorization to the subgraphs', async () => {
    const store = await createStore(graph.client);
    const data = await graph.client.data(
      `{ store { slug viewerRole } }`,
      {},
      { store: store.slug, token: store.owner.accessToken },
    );
    expect(data.store).toEqual({ slug: store.slug, viewerRole: 'OWNER' });
  });

  it('masks internal errors and never shows a stack trace', async () => {
    const response = await graph.client.execute(`{ store { id } }`, {}, { headers: { authorization: 'Basic abc' } });
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(JSON.stringify(response)).not.toMatch(/stacktrace|\s+at\s/);
  });
});
