// The store's own translated content (its SEO), the store domain's table. The store subgraph reads
// it; translationsRegister, which the catalog subgraph resolves for every resource, writes it
// through this module, so that the rules of the table live in one place and no subgraph imports
// another (docs/data-ownership.md).
import type { StoreTranslation, Transaction } from '@commerce/database';
import { appendOutboxEvent } from '@commerce/events';
import { toGlobalId } from '@commerce/graphql-kit';

/** The store's translatable fields and their longest text, as storeConfigUpdate limits them. */
export const STORE_TRANSLATION_KEYS: Readonly<Record<string, number>> = {
  'seo.metaTitle': 70,
  'seo.metaDescription': 320,
};

/** One translated field: a blank value removes the translation. */
export interface TranslationEntry {
  key: string;
  value: string;
}

/**
 * Writes the store's translations of `locale` (blank values delete theirs), announces the change
 * as store.updated (storefront caches drop the store's answers) and returns that language's
 * translations as they now are.
 */
export async function registerStoreTranslations(
  tx: Transaction,
  storeId: string,
  locale: string,
  entries: readonly TranslationEntry[],
): Promise<StoreTranslation[]> {
  const blank = entries.filter((entry) => entry.value.trim() === '').map((entry) => entry.key);
  if (blank.length > 0) await tx.storeTranslation.deleteMany({ where: { storeId, locale, key: { in: blank } } });
  for (const entry of entries) {
    if (entry.value.trim() === '') continue;
    await tx.storeTranslation.upsert({
      where: { storeId_locale_key: { storeId, locale, key: entry.key } },
      create: { storeId, locale, key: entry.key, value: entry.value },
      update: { value: entry.value },
    });
  }
  await appendOutboxEvent(tx, {
    storeId,
    type: 'store.updated',
    aggregateType: 'Store',
    aggregateId: storeId,
    payload: { storeId: toGlobalId('Store', storeId) },
  });
  return tx.storeTranslation.findMany({ where: { storeId, locale }, orderBy: { key: 'asc' } });
}

/** The store's default language and the others it offers, read in the caller's transaction. */
export async function storeLanguages(
  tx: Transaction,
  storeId: string,
): Promise<{ locale: string; locales: string[] } | null> {
  return tx.store.findUnique({ where: { id: storeId }, select: { locale: true, locales: true } });
}
