import type { ProductOption, Transaction } from '@commerce/database';
import {
  decodeGlobalId,
  forbidden,
  hasPermission,
  InputErrors,
  requirePermission,
  type UserError,
} from '@commerce/graphql-kit';
import { registerStoreTranslations, storeLanguages, type TranslationEntry } from '@commerce/translations';
import type { TranslationErrorCode, TranslationsRegisterInput } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { announceCategory, announceProduct } from './catalog-events.js';
import { maxLengthOf, RESOURCE_TYPES, type TranslatableType } from './translation-keys.js';

/** A translated field as the API shows it. */
export interface TranslationView {
  key: string;
  locale: string;
  value: string;
}

export interface TranslationsRegisterResult {
  translations: TranslationView[];
  userErrors: UserError<TranslationErrorCode>[];
}

const MAX_ENTRIES = 50;
const TYPES = new Set<string>(['Product', 'ProductVariant', 'ProductOption', 'Category', 'Store']);

/** Where a catalog resource's translations hang: its product, or its category. */
type Owner = { productId: string; categoryId: null } | { productId: null; categoryId: string };

const failed = (userErrors: UserError<TranslationErrorCode>[]): TranslationsRegisterResult => ({
  translations: [],
  userErrors,
});

/** The canonical form of a language tag, or null when it is none. */
function canonicalLocale(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag.trim())[0] ?? null;
  } catch {
    return null;
  }
}

/** The catalog resource's owner and, for an option, its row; null when the store has no such resource. */
async function findOwner(
  tx: Transaction,
  storeId: string,
  type: Exclude<TranslatableType, 'Store'>,
  key: string,
): Promise<{ owner: Owner; option: ProductOption | null } | null> {
  const byProduct = (productId: string | undefined) =>
    productId === undefined ? null : { owner: { productId, categoryId: null }, option: null };
  switch (type) {
    case 'Product':
      return byProduct((await tx.product.findFirst({ where: { storeId, id: key }, select: { id: true } }))?.id);
    case 'ProductVariant':
      return byProduct(
        (await tx.productVariant.findFirst({ where: { storeId, id: key }, select: { productId: true } }))?.productId,
      );
    case 'ProductOption': {
      const option = await tx.productOption.findFirst({ where: { storeId, id: key } });
      return option ? { owner: { productId: option.productId, categoryId: null }, option } : null;
    }
    case 'Category': {
      const category = await tx.category.findFirst({ where: { storeId, id: key }, select: { id: true } });
      return category ? { owner: { productId: null, categoryId: category.id }, option: null } : null;
    }
  }
}

/** Keys given twice, too many entries and (once the resource is known) keys it has no field for or texts too long. */
function checkEntries(
  errors: InputErrors<TranslationErrorCode>,
  type: TranslatableType,
  entries: readonly TranslationEntry[],
  option: ProductOption | null,
): void {
  if (entries.length > MAX_ENTRIES)
    errors.add(['input', 'translations'], `Register at most ${MAX_ENTRIES} fields at once.`, 'TOO_MANY');
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const field = ['input', 'translations', String(index), 'key'];
    if (seen.has(entry.key)) errors.add(field, `"${entry.key}" is given twice; give each key once.`, 'DUPLICATE');
    seen.add(entry.key);
    const max = maxLengthOf(type, entry.key, option);
    if (max === null) errors.add(field, `A ${type} has no translatable field "${entry.key}".`, 'INVALID_KEY');
    else if (entry.value.length > max)
      errors.add(['input', 'translations', String(index), 'value'], `Use at most ${max} characters.`, 'TOO_LONG');
  });
}

/** Writes a catalog resource's translations (blank values delete theirs) and returns that language's. */
async function writeCatalogTranslations(
  tx: Transaction,
  storeId: string,
  type: Exclude<TranslatableType, 'Store'>,
  resourceId: string,
  owner: Owner,
  locale: string,
  entries: readonly TranslationEntry[],
): Promise<TranslationView[]> {
  const blank = entries.filter((entry) => entry.value.trim() === '').map((entry) => entry.key);
  if (blank.length > 0) await tx.translation.deleteMany({ where: { storeId, resourceId, locale, key: { in: blank } } });
  for (const entry of entries) {
    if (entry.value.trim() === '') continue;
    await tx.translation.upsert({
      where: { storeId_resourceId_locale_key: { storeId, resourceId, locale, key: entry.key } },
      create: {
        storeId,
        resourceType: RESOURCE_TYPES[type],
        resourceId,
        ...owner,
        locale,
        key: entry.key,
        value: entry.value,
      },
      update: { value: entry.value },
    });
  }
  if (owner.productId !== null) await announceProduct(tx, storeId, 'product.updated', owner.productId);
  else await announceCategory(tx, storeId, 'category.updated', owner.categoryId);
  return tx.translation.findMany({
    where: { storeId, resourceId, locale },
    orderBy: { key: 'asc' },
    select: { key: true, locale: true, value: true },
  });
}

/**
 * translationsRegister: translations of a product, variant, option or category (MANAGE_PRODUCTS)
 * or of the store's SEO (MANAGE_STORE, written through @commerce/translations) in one of the
 * store's languages other than its default one.
 */
export async function registerTranslations(
  context: SubgraphContext,
  input: TranslationsRegisterInput,
): Promise<TranslationsRegisterResult> {
  const errors = new InputErrors<TranslationErrorCode>();
  const decoded = decodeGlobalId(input.resourceId);
  if (!decoded || !TYPES.has(decoded.type))
    return failed(
      errors.add(
        ['input', 'resourceId'],
        'Name a Product, ProductVariant, ProductOption, Category or Store by its global id.',
        'INVALID',
      ).errors,
    );
  const type = decoded.type as TranslatableType;
  const { storeId } = await requirePermission(context, type === 'Store' ? 'MANAGE_STORE' : 'MANAGE_PRODUCTS');
  const locale = canonicalLocale(input.locale);
  const entries = input.translations.map((entry) => ({ key: entry.key.trim(), value: entry.value }));

  return context.db.transaction(async (tx): Promise<TranslationsRegisterResult> => {
    const languages = await storeLanguages(tx, storeId);
    if (!locale || !languages?.locales.includes(locale) || locale === languages.locale)
      errors.add(
        ['input', 'locale'],
        `The store does not offer "${input.locale}" besides its default language; add it with storeLocalesUpdate first.`,
        'LOCALE_NOT_ENABLED',
      );
    if (type === 'Store') {
      if (decoded.key !== storeId)
        errors.add(['input', 'resourceId'], "Only the request's store can be translated here.", 'NOT_FOUND');
      checkEntries(errors, type, entries, null);
      if (!errors.ok || !locale) return failed(errors.errors);
      const rows = await registerStoreTranslations(tx, storeId, locale, entries);
      return { translations: rows.map(({ key, value }) => ({ key, locale, value })), userErrors: [] };
    }
    const found = await findOwner(tx, storeId, type, decoded.key);
    if (!found)
      return failed(errors.add(['input', 'resourceId'], `There is no such ${type} in this store.`, 'NOT_FOUND').errors);
    checkEntries(errors, type, entries, found.option);
    if (!errors.ok || !locale) return failed(errors.errors);
    const translations = await writeCatalogTranslations(tx, storeId, type, decoded.key, found.owner, locale, entries);
    return { translations, userErrors: [] };
  });
}

/** translations(locale) of a catalog resource, for staff who may read products (FORBIDDEN for others). */
export async function translationsOf(
  context: SubgraphContext,
  resourceId: string,
  locale: string,
): Promise<TranslationView[]> {
  if (!(await hasPermission(context, 'READ_PRODUCTS')))
    throw forbidden('Translations are for staff who may read products (READ_PRODUCTS).');
  return context.loaders.translationsIn.load(`${canonicalLocale(locale) ?? locale}\u0000${resourceId}`);
}
