// Operations of the store subgraph's management API, for its tests.
import { expect } from 'vitest';
import type { GraphClient, GraphQLResponse, RequestOptions } from './client.js';
import { unique, type TestStore } from './seed.js';

/** Each management mutation: its input type and what the tests select of its payload. */
export const MUTATIONS = {
  storeUpdate: {
    input: 'StoreUpdateInput',
    select: 'store { id name description status currencyCode locale timezone }',
  },
  storeConfigUpdate: {
    input: 'StoreConfigUpdateInput',
    select: `store {
      branding { logoUrl faviconUrl primaryColor secondaryColor accentColor fontFamily }
      seo { metaTitle metaDescription }
      contact { phone email whatsapp address { address1 address2 city province zip countryCode } }
      socialLinks { facebook instagram x tiktok youtube linkedin pinterest }
      businessHours { monday { closed opensAt closesAt } tuesday { closed opensAt closesAt } saturday { closed opensAt closesAt } sunday { closed opensAt closesAt } }
      settings { guestCheckoutEnabled emailVerificationRequired reviewsEnabled wishlistEnabled reviewModerationRequired buyersAnswerQuestions minOrderAmount { amount currencyCode } maxOrderAmount { amount currencyCode } lowStockThreshold paymentCaptureMode partialDeliveryEnabled returnWindowDays }
    }`,
  },
  storeDomainAdd: {
    input: 'StoreDomainAddInput',
    select: 'domain { id hostname verified verifiedAt verificationRecord { name value } }',
  },
  storeDomainVerify: { input: 'StoreDomainVerifyInput', select: 'domain { id hostname verified verifiedAt }' },
  storeDomainRemove: { input: 'StoreDomainRemoveInput', select: 'removedDomainId' },
  staffMemberAdd: { input: 'StaffMemberAddInput', select: 'staffMember { id email role name pending }' },
  staffMemberUpdate: { input: 'StaffMemberUpdateInput', select: 'staffMember { id email role name pending }' },
  staffMemberRemove: { input: 'StaffMemberRemoveInput', select: 'removedStaffMemberId' },
  shippingZoneCreate: {
    input: 'ShippingZoneCreateInput',
    select: 'shippingZone { id name countries rates { id name } }',
  },
  shippingZoneUpdate: { input: 'ShippingZoneUpdateInput', select: 'shippingZone { id name countries }' },
  shippingZoneDelete: { input: 'ShippingZoneDeleteInput', select: 'deletedShippingZoneId' },
  shippingRateCreate: {
    input: 'ShippingRateCreateInput',
    select:
      'shippingRate { id name price { amount currencyCode } minOrderAmount { amount } maxOrderAmount { amount } zone { id } }',
  },
  shippingRateUpdate: {
    input: 'ShippingRateUpdateInput',
    select:
      'shippingRate { id name price { amount currencyCode } minOrderAmount { amount } maxOrderAmount { amount } }',
  },
  shippingRateDelete: { input: 'ShippingRateDeleteInput', select: 'deletedShippingRateId' },
  taxRateCreate: { input: 'TaxRateCreateInput', select: 'taxRate { id name countryCode region rate inclusive }' },
  taxRateUpdate: { input: 'TaxRateUpdateInput', select: 'taxRate { id name countryCode region rate inclusive }' },
  taxRateDelete: { input: 'TaxRateDeleteInput', select: 'deletedTaxRateId' },
  storeCurrenciesUpdate: {
    input: 'StoreCurrenciesUpdateInput',
    select: 'currencies { currencyCode rate rounding }',
  },
  appCreate: {
    input: 'AppCreateInput',
    select: 'app { id name permissions isActive tokenHint tokenRotatedAt lastUsedAt } accessToken',
  },
  appUpdate: { input: 'AppUpdateInput', select: 'app { id name permissions isActive tokenHint }' },
  // These two take the app's id rather than an input object.
  appTokenRotate: { input: 'ID', argument: 'appId', select: 'app { id tokenHint tokenRotatedAt } accessToken' },
  appDelete: { input: 'ID', argument: 'appId', select: 'deletedAppId' },
  metafieldDefinitionCreate: {
    input: 'MetafieldDefinitionCreateInput',
    select: 'metafieldDefinition { id ownerType namespace key type }',
  },
  metafieldDefinitionUpdate: {
    input: 'MetafieldDefinitionUpdateInput',
    select: 'metafieldDefinition { id name visibleToStorefront }',
  },
  metafieldDefinitionDelete: { input: 'MetafieldDefinitionDeleteInput', select: 'deletedMetafieldDefinitionId' },
  // These two take a list of values rather than an input object.
  metafieldsSet: { input: '[MetafieldsSetInput!]', argument: 'metafields', select: 'metafields { id value }' },
  metafieldsDelete: {
    input: '[MetafieldIdentifierInput!]',
    argument: 'metafields',
    select: 'deletedMetafields { ownerId namespace key }',
  },
} as const;

export type MutationName = keyof typeof MUTATIONS;

/** The GraphQL document of a mutation with the selection above. */
export function mutationDocument(name: MutationName): string {
  const entry = MUTATIONS[name];
  const argument = 'argument' in entry ? entry.argument : 'input';
  return `mutation ($input: ${entry.input}!) { ${name}(${argument}: $input) { ${entry.select} userErrors { field message code } } }`;
}

/** What a management mutation takes: its input object, the id of what it acts on, or a list of values. */
export type MutationArgument = Record<string, unknown> | string | Record<string, unknown>[];

/** Runs a management mutation and returns the whole response. */
export function execute(
  client: GraphClient,
  name: MutationName,
  input: MutationArgument,
  options: RequestOptions,
): Promise<GraphQLResponse<Record<string, any>>> {
  return client.execute(mutationDocument(name), { input }, options);
}

/** Runs a management mutation that must succeed, and returns its payload. */
export async function succeed(
  client: GraphClient,
  name: MutationName,
  input: MutationArgument,
  options: RequestOptions,
): Promise<Record<string, any>> {
  const data = await client.data(mutationDocument(name), { input }, options);
  const payload = data[name];
  expect(payload.userErrors, `${name} userErrors`).toEqual([]);
  return payload;
}

/** Runs a management mutation and returns its userErrors as [field path, code] pairs. */
export async function userErrorsOf(
  client: GraphClient,
  name: MutationName,
  input: MutationArgument,
  options: RequestOptions,
): Promise<[string, string][]> {
  const data = await client.data(mutationDocument(name), { input }, options);
  return data[name].userErrors.map((error: { field: string[] | null; code: string }) => [
    (error.field ?? []).join('.'),
    error.code,
  ]);
}

/** Request options for a store's owner acting in it. */
export function asOwner(store: TestStore): RequestOptions {
  return { token: store.owner.accessToken, store: store.slug };
}

/** An app of a store, as appCreate returned it: its global id and its token (shown that once). */
export interface TestApp {
  id: string;
  accessToken: string;
}

/** Creates an app of the store with these permissions (as the owner unless told). */
export async function createApp(
  client: GraphClient,
  store: TestStore,
  permissions: string[],
  options: RequestOptions = asOwner(store),
): Promise<TestApp> {
  const payload = await succeed(client, 'appCreate', { name: unique('app'), permissions }, options);
  return { id: payload.app.id, accessToken: payload.accessToken };
}

/** Request options for an app: its token, and no X-Store (the token names the store). */
export function asApp(app: TestApp): RequestOptions {
  return { token: app.accessToken };
}

let countryCursor = 0;
// Countries that the tests of one run hand out one by one, so that zones of one store never collide.
const COUNTRIES = [
  'DE',
  'FR',
  'IT',
  'ES',
  'PT',
  'NL',
  'BE',
  'LU',
  'AT',
  'CH',
  'PL',
  'CZ',
  'SK',
  'HU',
  'SI',
  'HR',
  'RO',
  'BG',
  'GR',
  'CY',
  'MT',
  'IE',
  'GB',
  'DK',
  'SE',
  'NO',
  'FI',
  'IS',
  'EE',
  'LV',
  'LT',
  'US',
  'CA',
  'MX',
  'BR',
  'AR',
  'CL',
  'CO',
  'PE',
  'UY',
  'JP',
  'KR',
  'CN',
  'TW',
  'HK',
  'SG',
  'MY',
  'TH',
  'VN',
  'PH',
  'ID',
  'IN',
  'PK',
  'BD',
  'LK',
  'NP',
  'AU',
  'NZ',
  'ZA',
  'EG',
  'MA',
  'TN',
  'KE',
  'NG',
  'GH',
  'TR',
  'IL',
  'AE',
  'SA',
  'QA',
  'KW',
  'OM',
];

/** A country code no other zone of this test run has used yet. */
export function nextCountry(): string {
  const country = COUNTRIES[countryCursor % COUNTRIES.length];
  countryCursor += 1;
  if (!country) throw new Error('no country');
  return country;
}

/** Creates a shipping zone in the store through the API, as its owner. */
export async function createZone(
  client: GraphClient,
  store: TestStore,
  input: { name?: string; countries?: string[] } = {},
): Promise<{ id: string; countries: string[] }> {
  const payload = await succeed(
    client,
    'shippingZoneCreate',
    { name: input.name ?? 'Zone', countries: input.countries ?? [nextCountry()] },
    asOwner(store),
  );
  return payload.shippingZone;
}

/** Creates a shipping rate in a zone through the API, as the store's owner. */
export async function createRate(
  client: GraphClient,
  store: TestStore,
  zoneId: string,
  input: Record<string, unknown> = {},
): Promise<{ id: string }> {
  const payload = await succeed(
    client,
    'shippingRateCreate',
    { zoneId, name: 'Standard', price: '4.90', ...input },
    asOwner(store),
  );
  return payload.shippingRate;
}

let regionCursor = 0;

/** Creates a tax rate through the API, as the store's owner (a fresh region of DE unless given). */
export async function createTaxRate(
  client: GraphClient,
  store: TestStore,
  input: Record<string, unknown> = {},
): Promise<{ id: string }> {
  regionCursor += 1;
  const payload = await succeed(
    client,
    'taxRateCreate',
    { name: 'VAT', countryCode: 'DE', region: `R${regionCursor}`, rate: '0.19', ...input },
    asOwner(store),
  );
  return payload.taxRate;
}

/** Adds a domain through the API, as the store's owner. */
export async function addDomain(
  client: GraphClient,
  store: TestStore,
  hostname: string,
): Promise<{ id: string; hostname: string; verificationRecord: { name: string; value: string } }> {
  const payload = await succeed(client, 'storeDomainAdd', { hostname }, asOwner(store));
  return payload.domain;
}

/** Invites an email (or adds its seller) to the store's staff through the API, as its owner. */
export async function inviteStaff(
  client: GraphClient,
  store: TestStore,
  email: string,
  role: string,
): Promise<{ id: string; pending: boolean }> {
  const payload = await succeed(client, 'staffMemberAdd', { email, role }, asOwner(store));
  return payload.staffMember;
}
