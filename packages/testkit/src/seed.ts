import { randomUUID } from 'node:crypto';
import type { PrismaClient, StaffRole } from '@commerce/database';
import { decodeGlobalId } from '@commerce/graphql-kit';
import type { GraphClient } from './client.js';

/** A unique suffix so that each test arranges its own data and tests run in parallel. */
export function unique(prefix = 't'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface TestSeller {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** Signs a new seller up through the API. */
export async function signUpSeller(
  client: GraphClient,
  overrides: { email?: string; password?: string; name?: string } = {},
): Promise<TestSeller> {
  const email = overrides.email ?? `${unique('seller')}@example.com`;
  const password = overrides.password ?? 'correct horse battery';
  const data = await client.data<{
    sellerSignUp: { seller: { id: string }; accessToken: string; refreshToken: string; userErrors: unknown[] };
  }>(
    `mutation ($input: SellerSignUpInput!) { sellerSignUp(input: $input) { seller { id } accessToken refreshToken userErrors { field message code } } }`,
    { input: { email, password, name: overrides.name ?? 'Test Seller' } },
  );
  if (data.sellerSignUp.userErrors.length) throw new Error(JSON.stringify(data.sellerSignUp.userErrors));
  return {
    id: data.sellerSignUp.seller.id,
    email,
    password,
    accessToken: data.sellerSignUp.accessToken,
    refreshToken: data.sellerSignUp.refreshToken,
  };
}

export interface TestStore {
  id: string;
  slug: string;
  currencyCode: string;
  owner: TestSeller;
}

/** Creates a store (and, unless given, a seller who owns it) through the API. */
export async function createStore(
  client: GraphClient,
  options: { owner?: TestSeller; currencyCode?: string; slug?: string } = {},
): Promise<TestStore> {
  const owner = options.owner ?? (await signUpSeller(client));
  const slug = options.slug ?? unique('store');
  const data = await client.data<{
    storeCreate: { store: { id: string; slug: string; currencyCode: string }; userErrors: unknown[] };
  }>(
    `mutation ($input: StoreCreateInput!) { storeCreate(input: $input) { store { id slug currencyCode } userErrors { field message code } } }`,
    { input: { name: `Store ${slug}`, slug, currencyCode: options.currencyCode ?? 'EUR' } },
    { token: owner.accessToken },
  );
  if (data.storeCreate.userErrors.length) throw new Error(JSON.stringify(data.storeCreate.userErrors));
  return { ...data.storeCreate.store, owner };
}

/** The database key behind a global id (for arranging rows directly). */
export function keyOf(globalId: string): string {
  const decoded = decodeGlobalId(globalId);
  if (!decoded) throw new Error(`not a global id: ${globalId}`);
  return decoded.key;
}

export interface TestCustomer {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** Signs a new customer up in a store through the API. */
export async function signUpCustomer(
  client: GraphClient,
  store: { slug: string },
  overrides: { email?: string; password?: string; firstName?: string; lastName?: string } = {},
): Promise<TestCustomer> {
  const email = overrides.email ?? `${unique('customer')}@example.com`;
  const password = overrides.password ?? 'plum orchard lantern';
  const data = await client.data<{
    customerSignUp: { customer: { id: string }; accessToken: string; refreshToken: string; userErrors: unknown[] };
  }>(
    `mutation ($input: CustomerSignUpInput!) { customerSignUp(input: $input) { customer { id } accessToken refreshToken userErrors { field message code } } }`,
    { input: { email, password, firstName: overrides.firstName ?? 'Ada', lastName: overrides.lastName ?? 'Lovelace' } },
    { store: store.slug },
  );
  const payload = data.customerSignUp;
  if (payload.userErrors.length) throw new Error(JSON.stringify(payload.userErrors));
  return {
    id: payload.customer.id,
    email,
    password,
    accessToken: payload.accessToken,
    refreshToken: payload.refreshToken,
  };
}

/** A new seller on the store's staff with the given role (inserted directly, as the database owner). */
export async function addStaffMember(
  client: GraphClient,
  owner: PrismaClient,
  store: { id: string },
  role: StaffRole,
): Promise<TestSeller> {
  const seller = await signUpSeller(client);
  await owner.staffMember.create({
    data: { storeId: keyOf(store.id), sellerId: keyOf(seller.id), email: seller.email, role },
  });
  return seller;
}
