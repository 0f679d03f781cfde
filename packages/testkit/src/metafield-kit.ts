// Custom fields (metafields) through the graph, for their tests.
import { expect } from 'vitest';
import type { GraphClient, RequestOptions } from './client.js';
import type { TestStore } from './seed.js';

export const METAFIELD_DEFINITION_CREATE = `mutation ($input: MetafieldDefinitionCreateInput!) {
  metafieldDefinitionCreate(input: $input) {
    metafieldDefinition { id ownerType namespace key name type list visibleToStorefront
      validations { required min max choices regex } }
    userErrors { field message code }
  } }`;

export const METAFIELDS_SET = `mutation ($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) {
    metafields { id namespace key type list value }
    userErrors { field message code }
  } }`;

export const METAFIELDS_DELETE = `mutation ($metafields: [MetafieldIdentifierInput!]!) {
  metafieldsDelete(metafields: $metafields) {
    deletedMetafields { ownerId namespace key }
    userErrors { field message code }
  } }`;

/** One value to set. */
export interface MetafieldEntry {
  ownerId: string;
  namespace: string;
  key: string;
  value: string;
}

const asOwnerOf = (store: TestStore): RequestOptions => ({ token: store.owner.accessToken, store: store.slug });

/** Defines a custom field as the store's owner (visible to the storefront unless said); fails on userErrors. */
export async function defineMetafield(
  client: GraphClient,
  store: TestStore,
  input: Record<string, unknown>,
): Promise<{ id: string }> {
  const data = await client.data(
    METAFIELD_DEFINITION_CREATE,
    { input: { name: 'Field', visibleToStorefront: true, ...input } },
    asOwnerOf(store),
  );
  expect(data.metafieldDefinitionCreate.userErrors).toEqual([]);
  return data.metafieldDefinitionCreate.metafieldDefinition;
}

/** Sets values as the store's owner (or as `options` says); returns the payload. */
export async function setMetafields(
  client: GraphClient,
  store: TestStore,
  metafields: MetafieldEntry[],
  options: RequestOptions = asOwnerOf(store),
): Promise<{ metafields: { value: string }[] | null; userErrors: { field: string[]; code: string }[] }> {
  const data = await client.data(METAFIELDS_SET, { metafields }, options);
  return data.metafieldsSet;
}
