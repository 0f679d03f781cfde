import type { Store } from '@commerce/database';
import {
  forgetStoreResolutions,
  hasPermission,
  forbidden,
  InputErrors,
  requirePermission,
  translationLanguage,
  type UserError,
} from '@commerce/graphql-kit';
import type { StoreErrorCode, StoreLocalesUpdateInput } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { announceStoreUpdate } from './store-events.js';
import { isLocale } from './store.service.js';

const MAX_LOCALES = 20;

export interface StoreLocalesResult {
  store: Store | null;
  userErrors: UserError<StoreErrorCode>[];
}

/** Store.locales: the default language first, then the others the store offers. */
export function storeLocales(store: Store): string[] {
  return [store.locale, ...store.locales];
}

/**
 * storeLocalesUpdate (MANAGE_STORE): the languages the store offers besides its default one. The
 * list replaces the old one; translations of a removed language stay, unread, until it is back.
 */
export async function updateStoreLocales(
  context: SubgraphContext,
  input: StoreLocalesUpdateInput,
): Promise<StoreLocalesResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_STORE');
  const errors = new InputErrors<StoreErrorCode>();
  if (input.locales.length > MAX_LOCALES)
    errors.add(['input', 'locales'], `A store offers at most ${MAX_LOCALES} languages besides its default one.`);
  const locales: string[] = [];
  for (const [index, tag] of input.locales.entries()) {
    const field = ['input', 'locales', String(index)];
    const locale = isLocale(tag.trim()) ? (Intl.getCanonicalLocales(tag.trim())[0] ?? null) : null;
    if (locale === null) errors.add(field, 'Use a language tag such as fr or de-CH.');
    else if (locales.includes(locale)) errors.add(field, `"${locale}" is given twice.`);
    else locales.push(locale);
  }
  if (!errors.ok) return { store: null, userErrors: errors.errors };

  const result = await context.db.transaction(async (tx): Promise<StoreLocalesResult> => {
    const store = await tx.store.findUniqueOrThrow({ where: { id: storeId }, select: { locale: true } });
    const index = locales.indexOf(store.locale);
    if (index >= 0) {
      errors.add(['input', 'locales', String(index)], `"${store.locale}" is the store's default language already.`);
      return { store: null, userErrors: errors.errors };
    }
    const updated = await tx.store.update({ where: { id: storeId }, data: { locales } });
    await announceStoreUpdate(tx, storeId);
    return { store: updated, userErrors: [] };
  });
  // Requests are matched to a language with the store's languages, which this process has cached.
  if (result.store) forgetStoreResolutions();
  return result;
}

/** The store's translations in one language, for staff with MANAGE_STORE (FORBIDDEN for others). */
export async function storeTranslations(context: SubgraphContext, store: Store, locale: string) {
  if (!(await hasPermission(context, 'MANAGE_STORE')) || context.store?.id !== store.id)
    throw forbidden("The store's translations are for its staff with MANAGE_STORE.");
  const rows = await context.db.read((tx) =>
    tx.storeTranslation.findMany({ where: { storeId: store.id, locale }, orderBy: { key: 'asc' } }),
  );
  return rows.map(({ key, value }) => ({ key, locale, value }));
}

/** The store's SEO in the request's language: each field's translation, else the stored one. */
export async function translatedSeo<Seo extends { metaTitle?: string | null; metaDescription?: string | null }>(
  context: SubgraphContext,
  store: Store,
  seo: Seo,
): Promise<Seo> {
  const language = translationLanguage(context);
  if (language === null || context.store?.id !== store.id) return seo;
  const translations = await context.loaders.storeTranslations.load(language);
  return {
    ...seo,
    metaTitle: translations.get('seo.metaTitle') ?? seo.metaTitle ?? null,
    metaDescription: translations.get('seo.metaDescription') ?? seo.metaDescription ?? null,
  };
}
