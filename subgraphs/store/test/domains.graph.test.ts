import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  addStaffMember,
  createStore,
  errorCodes,
  ownerPrisma,
  signUpSeller,
  startTestGraph,
  unique,
  type RequestOptions,
  type TestGraph,
  type TestStore,
} from '@commerce/testkit';
import { addDomain, asOwner, execute, succeed, userErrorsOf } from '@commerce/testkit/store-kit';
import type { DnsResolver } from '../src/server.js';
import { DnsLookupError } from '../src/dns-resolver.js';

/** DNS as the tests publish it: TXT records by name; the real resolver sits behind the same interface. */
class PublishedDns implements DnsResolver {
  readonly records = new Map<string, string[][]>();
  down = false;

  async resolveTxt(name: string): Promise<string[][]> {
    if (this.down) throw new DnsLookupError(`DNS lookup of ${name} failed (ETIMEOUT)`);
    return this.records.get(name) ?? [];
  }
}

/** The DNS that the graph's store subgraph asks; each test publishes under its own unique hostnames. */
const dns = new PublishedDns();
let graph: TestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  graph = await startTestGraph({ dnsResolver: dns });
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

const VERIFY = `mutation ($input: StoreDomainVerifyInput!) { storeDomainVerify(input: $input) { domain { id hostname verified verifiedAt } userErrors { field code message } } }`;

/** storeDomainVerify through the gateway, as the store's owner or the given caller. */
function verify(store: TestStore, id: string, as: RequestOptions = asOwner(store)) {
  return graph.client.execute(VERIFY, { input: { id } }, as);
}

function hostFor(hostname: string) {
  return { headers: { 'x-forwarded-host': hostname } };
}

describe('custom domains', () => {
  it('adds a domain lower-cased and unverified, with the TXT record to create, and lists it for staff', async () => {
    const store = await createStore(graph.client);
    const hostname = `${unique('shop')}.example.com`;
    const domain = await addDomain(graph.client, store, `  ${hostname.toUpperCase()}. `);
    expect(domain).toMatchObject({ hostname, verified: false, verifiedAt: null });
    expect(domain.verificationRecord.name).toBe(`_commerce.${hostname}`);
    expect(domain.verificationRecord.value).toMatch(/^commerce-verification=[0-9a-f]{40}$/);

    const data = await graph.client.data(`{ store { domains { id hostname verified } } }`, {}, asOwner(store));
    expect(data.store.domains).toEqual([{ id: domain.id, hostname, verified: false }]);
    const stranger = await signUpSeller(graph.client);
    expect(
      errorCodes(
        await graph.client.execute(
          `{ store { domains { id } } }`,
          {},
          { token: stranger.accessToken, store: store.slug },
        ),
      ),
    ).toEqual(['FORBIDDEN']);
  });

  it('refuses hostnames that are not public hostnames, and one the store has already', async () => {
    const store = await createStore(graph.client);
    for (const hostname of [
      'localhost',
      'https://shop.example.com',
      'shop.example.com:8443',
      '10.0.0.1',
      'under_score.example.com',
      '-dash.example.com',
      'example',
      'a..b.com',
    ]) {
      expect(await userErrorsOf(graph.client, 'storeDomainAdd', { hostname }, asOwner(store)), hostname).toEqual([
        ['input.hostname', 'INVALID'],
      ]);
    }
    const hostname = `${unique('taken')}.example.com`;
    await addDomain(graph.client, store, hostname);
    expect(
      await userErrorsOf(graph.client, 'storeDomainAdd', { hostname: hostname.toUpperCase() }, asOwner(store)),
    ).toEqual([['input.hostname', 'TAKEN']]);
  });

  it("a store's unverified claim keeps no one from a hostname; the store that proves control of its DNS holds it", async () => {
    const squatter = await createStore(graph.client);
    const rightful = await createStore(graph.client);
    const hostname = `${unique('claimed')}.example.com`;
    const claim = await addDomain(graph.client, squatter, hostname);
    const own = await addDomain(graph.client, rightful, hostname);
    expect(own.verificationRecord.value).not.toBe(claim.verificationRecord.value);

    // The domain's owner publishes its record: its store verifies, the other claim cannot.
    dns.records.set(own.verificationRecord.name, [[own.verificationRecord.value]]);
    expect((await verify(squatter, claim.id)).data?.storeDomainVerify.userErrors).toMatchObject([
      { code: 'VERIFICATION_FAILED' },
    ]);
    expect((await verify(rightful, own.id)).data?.storeDomainVerify).toMatchObject({
      domain: { hostname, verified: true },
      userErrors: [],
    });
    expect((await graph.client.data(`{ store { slug } }`, {}, hostFor(hostname))).store).toEqual({
      slug: rightful.slug,
    });

    // Even with its record published too, the other claim cannot take a verified hostname,
    // and no store can add it any more.
    dns.records.set(own.verificationRecord.name, [[own.verificationRecord.value], [claim.verificationRecord.value]]);
    const late = await verify(squatter, claim.id);
    expect(late.errors).toBeUndefined();
    expect(late.data?.storeDomainVerify).toMatchObject({
      domain: null,
      userErrors: [{ field: ['input', 'id'], code: 'TAKEN' }],
    });
    const third = await createStore(graph.client);
    expect(await userErrorsOf(graph.client, 'storeDomainAdd', { hostname }, asOwner(third))).toEqual([
      ['input.hostname', 'TAKEN'],
    ]);
    expect((await graph.client.data(`{ store { slug } }`, {}, hostFor(hostname))).store).toEqual({
      slug: rightful.slug,
    });
    const claims = await owner.storeDomain.findMany({
      where: { hostname },
      select: { storeId: true, verifiedAt: true },
    });
    expect(claims.filter((row) => row.verifiedAt)).toHaveLength(1);
  });

  it('verifies a domain through its TXT record; then requests to the host act in the store, until it is removed', async () => {
    const store = await createStore(graph.client);
    const hostname = `${unique('verify')}.example.com`;
    const domain = await addDomain(graph.client, store, hostname);

    // Not verified yet: the host names no store (and this process remembers that for a while).
    expect((await graph.client.data(`{ store { slug } }`, {}, hostFor(hostname))).store).toBeNull();

    const missing = await verify(store, domain.id);
    expect(missing.errors).toBeUndefined();
    expect(missing.data?.storeDomainVerify).toMatchObject({
      domain: null,
      userErrors: [{ field: ['input', 'id'], code: 'VERIFICATION_FAILED' }],
    });
    expect(missing.data?.storeDomainVerify.userErrors[0].message).toContain(domain.verificationRecord.value);

    dns.records.set(domain.verificationRecord.name, [['commerce-verification=someone-else']]);
    expect((await verify(store, domain.id)).data?.storeDomainVerify.userErrors).toMatchObject([
      { code: 'VERIFICATION_FAILED' },
    ]);

    dns.down = true;
    expect((await verify(store, domain.id)).data?.storeDomainVerify.userErrors).toMatchObject([
      { code: 'DNS_UNAVAILABLE' },
    ]);
    dns.down = false;

    // Long TXT values may arrive in several character strings.
    const value = domain.verificationRecord.value;
    dns.records.set(domain.verificationRecord.name, [['v=spf1 -all'], [value.slice(0, 25), value.slice(25)]]);
    const verified = await verify(store, domain.id);
    expect(verified.data?.storeDomainVerify).toMatchObject({
      domain: { id: domain.id, hostname, verified: true },
      userErrors: [],
    });

    const mapped = await graph.client.data(`{ store { slug } }`, {}, hostFor(hostname.toUpperCase()));
    expect(mapped.store).toEqual({ slug: store.slug });

    // Verifying again is harmless and asks DNS no more.
    dns.down = true;
    expect((await verify(store, domain.id)).data?.storeDomainVerify).toMatchObject({
      domain: { verified: true },
      userErrors: [],
    });

    const removed = await succeed(graph.client, 'storeDomainRemove', { id: domain.id }, asOwner(store));
    expect(removed.removedDomainId).toBe(domain.id);
    expect((await graph.client.data(`{ store { slug } }`, {}, hostFor(hostname))).store).toBeNull();
    expect(errorCodes(await execute(graph.client, 'storeDomainRemove', { id: domain.id }, asOwner(store)))).toEqual([
      'NOT_FOUND',
    ]);
  });

  it('verification needs MANAGE_STORE, and finds only domains of the request store', async () => {
    const store = await createStore(graph.client);
    const other = await createStore(graph.client);
    const domain = await addDomain(graph.client, other, `${unique('theirs')}.example.com`);
    dns.records.set(domain.verificationRecord.name, [[domain.verificationRecord.value]]);

    const foreign = await verify(store, domain.id);
    expect(foreign.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);

    const admin = await addStaffMember(graph.client, owner, other, 'ADMIN');
    const refused = await verify(other, domain.id, { token: admin.accessToken, store: other.slug });
    expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['FORBIDDEN']);
    const stillUnverified = await owner.storeDomain.findFirstOrThrow({ where: { hostname: domain.hostname } });
    expect(stillUnverified.verifiedAt).toBeNull();
  });
});
