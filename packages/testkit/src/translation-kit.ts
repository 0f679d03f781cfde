import type { GraphClient } from './client.js';
import type { TestStore } from './seed.js';

export const STORE_LOCALES_UPDATE = `mutation ($input: StoreLocalesUpdateInput!) {
  storeLocalesUpdate(input: $input) { store { locale locales } userErrors { field message code } }
}`;

export const TRANSLATIONS_REGISTER = `mutation ($input: TranslationsRegisterInput!) {
  translationsRegister(input: $input) { translations { key locale value } userErrors { field message code } }
}`;

/** Makes the store offer these languages besides its default one, as its owner; fails on userErrors. */
export async function offerLocales(client: GraphClient, store: TestStore, locales: string[]): Promise<void> {
  const data = await client.data(
    STORE_LOCALES_UPDATE,
    { input: { locales } },
    { token: store.owner.accessToken, store: store.slug },
  );
  if (data.storeLocalesUpdate.userErrors.length) throw new Error(JSON.stringify(data.storeLocalesUpdate.userErrors));
}

/** Registers translations of a resource as the store's owner; fails on userErrors. */
export async function translate(
  client: GraphClient,
  store: TestStore,
  resourceId: string,
  locale: string,
  translations: Record<string, string>,
): Promise<void> {
  const data = await client.data(
    TRANSLATIONS_REGISTER,
    {
      input: {
        resourceId,
        locale,
        translations: Object.entries(translations).map(([key, value]) => ({ key, value })),
      },
    },
    { token: store.owner.accessToken, store: store.slug },
  );
  if (data.translationsRegister.userErrors.length)
    throw new Error(JSON.stringify(data.translationsRegister.userErrors));
}
