// Who may run each store-management mutation: every role of the store's staff, an app of the
// store holding every permission an app may hold, a seller from outside, a customer of the store
// and an anonymous caller, against every mutation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient, StaffRole } from '@commerce/database';
import {
  addStaffMember,
  createProduct,
  createStore,
  errorCodes,
  insertOrder,
  keyOf,
  ownerPrisma,
  signUpCustomer,
  signUpSeller,
  sharedTestGraph,
  unique,
  type SharedTestGraph,
  type TestStore,
} from '@commerce/testkit';
import type { RequestOptions } from '@commerce/testkit';
import { defineMetafield } from '@commerce/testkit/metafield-kit';
import {
  addDomain,
  asApp,
  createApp,
  createRate,
  createTaxRate,
  createZone,
  execute,
  inviteStaff,
  type MutationArgument,
  type MutationName,
  nextCountry,
} from '@commerce/testkit/store-kit';

let graph: SharedTestGraph;
let owner: PrismaClient;
let store: TestStore;
const actors = new Map<Actor, RequestOptions>();

type Actor = StaffRole | 'APP' | 'OTHER_SELLER' | 'CUSTOMER' | 'ANONYMOUS';
const ACTORS: Actor[] = ['OWNER', 'ADMIN', 'MANAGER', 'STAFF', 'APP', 'OTHER_SELLER', 'CUSTOMER', 'ANONYMOUS'];
/** Every permission an app may hold (MANAGE_STAFF and MANAGE_APPS stay with people). */
const APP_PERMISSIONS = [
  'MANAGE_STORE',
  'MANAGE_PRODUCTS',
  'READ_PRODUCTS',
  'MANAGE_INVENTORY',
  'MANAGE_ORDERS',
  'MANAGE_CUSTOMERS',
  'VIEW_ANALYTICS',
];

beforeAll(async () => {
  graph = await sharedTestGraph();
  owner = ownerPrisma();
  store = await createStore(graph.client);
  actors.set('OWNER', { token: store.owner.accessToken, store: store.slug });
  for (const role of ['ADMIN', 'MANAGER', 'STAFF'] as const) {
    const seller = await addStaffMember(graph.client, owner, store, role);
    actors.set(role, { token: seller.accessToken, store: store.slug });
  }
  actors.set('APP', asApp(await createApp(graph.client, store, APP_PERMISSIONS)));
  actors.set('OTHER_SELLER', { token: (await signUpSeller(graph.client)).accessToken, store: store.slug });
  actors.set('CUSTOMER', { token: (await signUpCustomer(graph.client, store)).accessToken, store: store.slug });
  actors.set('ANONYMOUS', { store: store.slug });
  for (const ownerType of ['PRODUCT', 'PRODUCT_VARIANT', 'CUSTOMER', 'ORDER', 'STORE']) {
    await defineMetafield(graph.client, store, {
      ownerType,
      namespace: 'matrix',
      key: 'note',
      type: 'SINGLE_LINE_TEXT',
    });
  }
});
afterAll(async () => {
  await owner.$disconnect();
  await graph.close();
});

interface Case {
  /** What the row is about, when one mutation has several rows. */
  label: string;
  mutation: MutationName;
  /** Arranges what the mutation acts on (as the OWNER) and returns its input. */
  input: () => Promise<MutationArgument>;
  /** The roles that may run it; other staff get FORBIDDEN. */
  allowed: StaffRole[];
}

const MANAGE_STORE: StaffRole[] = ['OWNER'];
const MANAGE_STAFF: StaffRole[] = ['OWNER', 'ADMIN'];
const MANAGE_APPS: StaffRole[] = ['OWNER', 'ADMIN'];
const MANAGE_PRODUCTS: StaffRole[] = ['OWNER', 'ADMIN', 'MANAGER'];
const MANAGE_CUSTOMERS: StaffRole[] = ['OWNER', 'ADMIN'];
const MANAGE_ORDERS: StaffRole[] = ['OWNER', 'ADMIN', 'MANAGER', 'STAFF'];
/** The mutations an app holding MANAGE_STORE may run; the others are for people only. */
const APP_MAY = new Set<MutationName>([
  'storeUpdate',
  'storeConfigUpdate',
  'storeDomainAdd',
  'storeDomainVerify',
  'storeDomainRemove',
  'shippingZoneCreate',
  'shippingZoneUpdate',
  'shippingZoneDelete',
  'shippingRateCreate',
  'shippingRateUpdate',
  'shippingRateDelete',
  'taxRateCreate',
  'taxRateUpdate',
  'taxRateDelete',
  'metafieldDefinitionCreate',
  'metafieldDefinitionUpdate',
  'metafieldDefinitionDelete',
  'metafieldsSet',
  'metafieldsDelete',
]);

const invitation = (role: StaffRole) => async () => ({
  id: (await inviteStaff(graph.client, store, `${unique('invitee')}@example.com`, role)).id,
});
const zone = async () => ({ id: (await createZone(graph.client, store)).id });
const rate = async () => ({
  id: (await createRate(graph.client, store, (await createZone(graph.client, store)).id)).id,
});
const taxRate = async () => ({ id: (await createTaxRate(graph.client, store)).id });
const domain = async () => ({ id: (await addDomain(graph.client, store, `${unique('d')}.example.com`)).id });
const app = async () => (await createApp(graph.client, store, ['READ_PRODUCTS'])).id;
/** A value of the field `matrix.note` of the owner the arrangement makes. */
const metafieldOf = (arrange: () => Promise<string>) => async () => [
  { ownerId: await arrange(), namespace: 'matrix', key: 'note', value: unique('v') },
];
/** The field `matrix.note` of the owner the arrangement makes, to remove. */
const metafieldIdentifierOf = (arrange: () => Promise<string>) => async () => [
  { ownerId: await arrange(), namespace: 'matrix', key: 'note' },
];
/** A new product field, as its owner defines it. */
const definition = async () => ({
  id: (
    await defineMetafield(graph.client, store, {
      ownerType: 'PRODUCT',
      namespace: 'matrix',
      key: unique('d'),
      type: 'BOOLEAN',
    })
  ).id,
});
const productOwner = async () => (await createProduct(graph.client, store)).id;
const variantOwner = async () => (await createProduct(graph.client, store)).variants[0]?.id ?? '';
const customerOwner = async () => (await signUpCustomer(graph.client, store)).id;
const orderOwner = async () => (await insertOrder(owner, store)).id;
const storeOwner = async () => store.id;

const CASES: Case[] = [
  { label: '', mutation: 'storeUpdate', input: async () => ({ description: unique('about') }), allowed: MANAGE_STORE },
  {
    label: '',
    mutation: 'storeConfigUpdate',
    input: async () => ({ seo: { metaTitle: unique('title') } }),
    allowed: MANAGE_STORE,
  },
  {
    label: '',
    mutation: 'storeDomainAdd',
    input: async () => ({ hostname: `${unique('d')}.example.com` }),
    allowed: MANAGE_STORE,
  },
  {
    label: '(already verified, so no DNS is asked)',
    mutation: 'storeDomainVerify',
    input: async () => {
      const arranged = await domain();
      await owner.storeDomain.update({ where: { id: keyOf(arranged.id) }, data: { verifiedAt: new Date() } });
      return arranged;
    },
    allowed: MANAGE_STORE,
  },
  { label: '', mutation: 'storeDomainRemove', input: domain, allowed: MANAGE_STORE },
  {
    label: 'as STAFF',
    mutation: 'staffMemberAdd',
    input: async () => ({ email: `${unique('new')}@example.com`, role: 'STAFF' }),
    allowed: MANAGE_STAFF,
  },
  {
    label: 'as OWNER',
    mutation: 'staffMemberAdd',
    input: async () => ({ email: `${unique('new')}@example.com`, role: 'OWNER' }),
    allowed: ['OWNER'],
  },
  {
    label: 'of a STAFF member',
    mutation: 'staffMemberUpdate',
    input: async () => ({ ...(await invitation('STAFF')()), role: 'MANAGER' }),
    allowed: MANAGE_STAFF,
  },
  {
    label: 'to OWNER',
    mutation: 'staffMemberUpdate',
    input: async () => ({ ...(await invitation('STAFF')()), role: 'OWNER' }),
    allowed: ['OWNER'],
  },
  {
    label: 'of an OWNER',
    mutation: 'staffMemberUpdate',
    input: async () => ({ ...(await invitation('OWNER')()), role: 'ADMIN' }),
    allowed: ['OWNER'],
  },
  { label: 'of a STAFF member', mutation: 'staffMemberRemove', input: invitation('STAFF'), allowed: MANAGE_STAFF },
  { label: 'of an OWNER', mutation: 'staffMemberRemove', input: invitation('OWNER'), allowed: ['OWNER'] },
  {
    label: '',
    mutation: 'shippingZoneCreate',
    input: async () => ({ name: 'Zone', countries: [nextCountry()] }),
    allowed: MANAGE_STORE,
  },
  {
    label: '',
    mutation: 'shippingZoneUpdate',
    input: async () => ({ ...(await zone()), name: 'Renamed' }),
    allowed: MANAGE_STORE,
  },
  { label: '', mutation: 'shippingZoneDelete', input: zone, allowed: MANAGE_STORE },
  {
    label: '',
    mutation: 'shippingRateCreate',
    input: async () => ({ zoneId: (await zone()).id, name: 'Standard', price: '4.90' }),
    allowed: MANAGE_STORE,
  },
  {
    label: '',
    mutation: 'shippingRateUpdate',
    input: async () => ({ ...(await rate()), price: '5.90' }),
    allowed: MANAGE_STORE,
  },
  { label: '', mutation: 'shippingRateDelete', input: rate, allowed: MANAGE_STORE },
  {
    label: '',
    mutation: 'taxRateCreate',
    input: async () => ({ name: 'VAT', countryCode: 'DE', region: unique('R').slice(-8).toUpperCase(), rate: '0.19' }),
    allowed: MANAGE_STORE,
  },
  {
    label: '',
    mutation: 'taxRateUpdate',
    input: async () => ({ ...(await taxRate()), rate: '0.07' }),
    allowed: MANAGE_STORE,
  },
  { label: '', mutation: 'taxRateDelete', input: taxRate, allowed: MANAGE_STORE },
  {
    label: '',
    mutation: 'appCreate',
    input: async () => ({ name: unique('app'), permissions: ['READ_PRODUCTS'] }),
    allowed: MANAGE_APPS,
  },
  {
    label: '',
    mutation: 'appUpdate',
    input: async () => ({ id: await app(), name: unique('renamed') }),
    allowed: MANAGE_APPS,
  },
  { label: '', mutation: 'appTokenRotate', input: app, allowed: MANAGE_APPS },
  { label: '', mutation: 'appDelete', input: app, allowed: MANAGE_APPS },
  {
    label: '',
    mutation: 'metafieldDefinitionCreate',
    input: async () => ({
      ownerType: 'PRODUCT',
      namespace: 'matrix',
      key: unique('k'),
      name: 'Field',
      type: 'SINGLE_LINE_TEXT',
    }),
    allowed: MANAGE_STORE,
  },
  {
    label: '',
    mutation: 'metafieldDefinitionUpdate',
    input: async () => ({ ...(await definition()), name: 'Renamed' }),
    allowed: MANAGE_STORE,
  },
  { label: '', mutation: 'metafieldDefinitionDelete', input: definition, allowed: MANAGE_STORE },
  { label: 'of a product', mutation: 'metafieldsSet', input: metafieldOf(productOwner), allowed: MANAGE_PRODUCTS },
  { label: 'of a variant', mutation: 'metafieldsSet', input: metafieldOf(variantOwner), allowed: MANAGE_PRODUCTS },
  { label: 'of a customer', mutation: 'metafieldsSet', input: metafieldOf(customerOwner), allowed: MANAGE_CUSTOMERS },
  { label: 'of an order', mutation: 'metafieldsSet', input: metafieldOf(orderOwner), allowed: MANAGE_ORDERS },
  { label: 'of the store', mutation: 'metafieldsSet', input: metafieldOf(storeOwner), allowed: MANAGE_STORE },
  {
    label: 'of a product',
    mutation: 'metafieldsDelete',
    input: metafieldIdentifierOf(productOwner),
    allowed: MANAGE_PRODUCTS,
  },
  {
    label: 'of a customer',
    mutation: 'metafieldsDelete',
    input: metafieldIdentifierOf(customerOwner),
    allowed: MANAGE_CUSTOMERS,
  },
  {
    label: 'of an order',
    mutation: 'metafieldsDelete',
    input: metafieldIdentifierOf(orderOwner),
    allowed: MANAGE_ORDERS,
  },
];

/** What an actor gets: OK, or the error code a refusal carries. */
function expected(actor: Actor, mutation: MutationName, allowed: StaffRole[]): string {
  if (actor === 'ANONYMOUS' || actor === 'CUSTOMER') return 'UNAUTHENTICATED';
  if (actor === 'OTHER_SELLER') return 'FORBIDDEN';
  if (actor === 'APP') return APP_MAY.has(mutation) ? 'OK' : 'FORBIDDEN';
  return allowed.includes(actor) ? 'OK' : 'FORBIDDEN';
}

describe('the role × mutation matrix of store management', () => {
  const rows = CASES.flatMap((row) =>
    ACTORS.map((actor) => ({ ...row, actor, outcome: expected(actor, row.mutation, row.allowed) })),
  );

  it.each(rows)('$mutation $label by $actor: $outcome', async ({ mutation, input, actor, outcome }) => {
    const options = actors.get(actor);
    if (!options) throw new Error(`no actor ${actor}`);
    const response = await execute(graph.client, mutation, await input(), options);
    if (outcome === 'OK') {
      expect(response.errors).toBeUndefined();
      expect(response.data?.[mutation].userErrors).toEqual([]);
    } else {
      expect(errorCodes(response)).toEqual([outcome]);
      expect(response.data?.[mutation] ?? null).toBeNull();
    }
  });
});
