// Staff of one store cannot change anything of another store through the management mutations,
// whether they name their own store (the other's ids are not found) or the other (not its staff).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '@commerce/database';
import {
  createStore,
  errorCodes,
  keyOf,
  ownerPrisma,
  sharedTestGraph,
  unique,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import {
  addDomain,
  asOwner,
  createRate,
  createTaxRate,
  createZone,
  execute,
  inviteStaff,
  type MutationName,
} from '@commerce/testkit/store-kit';

let graph: SharedTestGraph;
let owner: PrismaClient;
beforeAll(async () => {
  graph = await sharedTestGraph();
  owner = ownerPrisma();
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

interface VictimIds {
  zoneId: string;
  rateId: string;
  taxRateId: string;
  domainId: string;
  memberId: string;
  ownerMemberId: string;
}

/** Store B with one of everything, as its owner arranged it. */
async function arrangeVictim(victim: TestStore): Promise<VictimIds> {
  const zone = await createZone(graph.client, victim, { name: 'Theirs', countries: ['NO'] });
  const rate = await createRate(graph.client, victim, zone.id, { price: '3.00' });
  const taxRate = await createTaxRate(graph.client, victim, { countryCode: 'NO', region: null, rate: '0.25' });
  const domain = await addDomain(graph.client, victim, `${unique('victim')}.example.com`);
  const member = await inviteStaff(graph.client, victim, `${unique('colleague')}@example.com`, 'ADMIN');
  const staff = await graph.client.data(`{ store { staffMembers { id role } } }`, {}, asOwner(victim));
  const ownerMember = staff.store.staffMembers.find((entry: { role: string }) => entry.role === 'OWNER');
  return {
    zoneId: zone.id,
    rateId: rate.id,
    taxRateId: taxRate.id,
    domainId: domain.id,
    memberId: member.id,
    ownerMemberId: ownerMember.id,
  };
}

/** Every mutation that names an object, with the victim's ids. */
function attacks(ids: VictimIds): [MutationName, Record<string, unknown>][] {
  return [
    ['storeDomainVerify', { id: ids.domainId }],
    ['storeDomainRemove', { id: ids.domainId }],
    ['staffMemberUpdate', { id: ids.memberId, role: 'STAFF' }],
    ['staffMemberUpdate', { id: ids.ownerMemberId, role: 'STAFF' }],
    ['staffMemberRemove', { id: ids.memberId }],
    ['staffMemberRemove', { id: ids.ownerMemberId }],
    ['shippingZoneUpdate', { id: ids.zoneId, name: 'Hijacked' }],
    ['shippingZoneDelete', { id: ids.zoneId }],
    ['shippingRateCreate', { zoneId: ids.zoneId, name: 'Hijacked', price: '0' }],
    ['shippingRateUpdate', { id: ids.rateId, price: '0' }],
    ['shippingRateDelete', { id: ids.rateId }],
    ['taxRateUpdate', { id: ids.taxRateId, rate: '0' }],
    ['taxRateDelete', { id: ids.taxRateId }],
  ];
}

const VICTIM_STATE = `{ store { name status domains { id hostname verified } staffMembers { id email role } shippingZones { id name countries rates { id name price { amount } } } taxRates { id rate } } }`;

describe('cross-tenant store management', () => {
  it("the OWNER of store A gets NOT_FOUND for store B's ids in A, FORBIDDEN in B, and B stays as it was", async () => {
    const attacker = await createStore(graph.client);
    const victim = await createStore(graph.client);
    const ids = await arrangeVictim(victim);
    const before = await graph.client.data(VICTIM_STATE, {}, asOwner(victim));

    for (const [mutation, input] of attacks(ids)) {
      const inOwnStore = await execute(graph.client, mutation, input, asOwner(attacker));
      expect(errorCodes(inOwnStore), `${mutation} in A`).toEqual(['NOT_FOUND']);
      const inVictimStore = await execute(graph.client, mutation, input, {
        token: attacker.owner.accessToken,
        store: victim.slug,
      });
      expect(errorCodes(inVictimStore), `${mutation} in B`).toEqual(['FORBIDDEN']);
    }
    const storeWide: [MutationName, Record<string, unknown>][] = [
      ['storeUpdate', { name: 'Hijacked', status: 'INACTIVE' }],
      ['storeConfigUpdate', { seo: { metaTitle: 'Hijacked' } }],
      ['storeDomainAdd', { hostname: `${unique('hijack')}.example.com` }],
      ['staffMemberAdd', { email: attacker.owner.email, role: 'OWNER' }],
      ['shippingZoneCreate', { name: 'Hijacked', countries: ['SE'] }],
      ['taxRateCreate', { name: 'Hijacked', countryCode: 'SE', rate: '0.5' }],
    ];
    for (const [mutation, input] of storeWide) {
      const response = await execute(graph.client, mutation, input, {
        token: attacker.owner.accessToken,
        store: victim.slug,
      });
      expect(errorCodes(response), mutation).toEqual(['FORBIDDEN']);
    }

    expect(await graph.client.data(VICTIM_STATE, {}, asOwner(victim))).toEqual(before);
    const domain = await owner.storeDomain.findUniqueOrThrow({ where: { id: keyOf(ids.domainId) } });
    expect(domain.verifiedAt).toBeNull();
  });

  it("B's objects are not visible through node or the lists of A", async () => {
    const attacker = await createStore(graph.client);
    const victim = await createStore(graph.client);
    const ids = await arrangeVictim(victim);
    const data = await graph.client.data(
      `query ($ids: [ID!]!) { nodes(ids: $ids) { id } store { domains { id } staffMembers { id } shippingZones { id } taxRates { id } } }`,
      { ids: [ids.zoneId, ids.rateId, ids.taxRateId, ids.domainId, ids.memberId] },
      asOwner(attacker),
    );
    expect(data.nodes).toEqual([null, null, null, null, null]);
    expect(data.store).toMatchObject({ domains: [], shippingZones: [], taxRates: [] });
    expect(data.store.staffMembers).toHaveLength(1);

    // In B's own requests the same ids resolve, staff-only types for its staff only.
    const own = await graph.client.data(
      `query ($ids: [ID!]!) { nodes(ids: $ids) { id __typename } }`,
      { ids: [ids.zoneId, ids.rateId, ids.taxRateId, ids.domainId, ids.memberId] },
      asOwner(victim),
    );
    expect(own.nodes.map((node: { __typename: string } | null) => node?.__typename)).toEqual([
      'ShippingZone',
      'ShippingRate',
      'TaxRate',
      'StoreDomain',
      'StaffMember',
    ]);
    const storefront = await graph.client.data(
      `query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`,
      { ids: [ids.zoneId, ids.domainId, ids.memberId] },
      { store: victim.slug },
    );
    expect(storefront.nodes.map((node: { id: string } | null) => node?.id ?? null)).toEqual([ids.zoneId, null, null]);
  });

  it("a store's lists are read only in a request for that store", async () => {
    const store = await createStore(graph.client);
    const response = await graph.client.execute(
      `{ currentSeller { stores { slug shippingZones { id } } } }`,
      {},
      { token: store.owner.accessToken },
    );
    expect(errorCodes(response)).toEqual(['FORBIDDEN']);
  });
});
