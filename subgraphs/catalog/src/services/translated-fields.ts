import type { Category, Product, ProductOption } from '@commerce/database';
import { andThen, translationLanguage, type Eventually } from '@commerce/graphql-kit';
import type { SubgraphContext } from '../context.js';
import type { ProductVariantParent } from '../mappers.js';
import { MAX_SEO_DESCRIPTION } from './product-input.js';
import { optionValueKey } from './translation-keys.js';

/**
 * A resource's translations in the request's language, or null when the request reads the store's
 * default language. Listings prime the loader from their own statement; either is answered at once.
 */
function translationsOf(context: SubgraphContext, resourceId: string): Eventually<Map<string, string> | null> {
  return translationLanguage(context) === null ? null : context.loaders.translations.now(resourceId);
}

/** A field in the request's language: its translation, else the stored text. */
export function translatedField(
  context: SubgraphContext,
  resourceId: string,
  key: string,
  stored: string,
): Eventually<string> {
  return andThen(translationsOf(context, resourceId), (translations) => translations?.get(key) ?? stored);
}

export const productTitle = (context: SubgraphContext, product: Product) =>
  translatedField(context, product.id, 'title', product.title);
export const productDescription = (context: SubgraphContext, product: Product) =>
  translatedField(context, product.id, 'description', product.description);
export const variantTitle = (context: SubgraphContext, variant: ProductVariantParent) =>
  translatedField(context, variant.id, 'title', variant.title);
export const optionName = (context: SubgraphContext, option: ProductOption) =>
  translatedField(context, option.id, 'name', option.name);
export const categoryName = (context: SubgraphContext, category: Category) =>
  translatedField(context, category.id, 'name', category.name);
export const categoryDescription = (context: SubgraphContext, category: Category) =>
  translatedField(context, category.id, 'description', category.description);

/** An option's values in the request's language, each its translation (`value:<value>`) or itself. */
export function optionValues(context: SubgraphContext, option: ProductOption): Eventually<string[]> {
  return andThen(translationsOf(context, option.id), (translations) =>
    option.values.map((value) => translations?.get(optionValueKey(value)) ?? value),
  );
}

/** A description as a search engine's summary: text without markup, at most 320 characters, cut at a word. */
export function summaryOf(description: string): string {
  const text = description
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= MAX_SEO_DESCRIPTION) return text;
  const cut = text.slice(0, MAX_SEO_DESCRIPTION - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > MAX_SEO_DESCRIPTION / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * Product.seo in the request's language: the SEO title's translation, else the title's, else the
 * stored SEO title, else the title; the description likewise, from the description's summary.
 */
export function productSeo(
  context: SubgraphContext,
  product: Product,
): Eventually<{ title: string; description: string }> {
  return andThen(translationsOf(context, product.id), (translations) => {
    const title = translations?.get('seoTitle') ?? translations?.get('title') ?? product.seoTitle ?? product.title;
    const description =
      translations?.get('seoDescription') ??
      (translations?.has('description') ? undefined : product.seoDescription) ??
      summaryOf(translations?.get('description') ?? product.description);
    return { title, description };
  });
}
