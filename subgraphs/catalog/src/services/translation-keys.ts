import type { ProductOption } from '@commerce/database';
import { STORE_TRANSLATION_KEYS } from '@commerce/translations';
import { MAX_SEO_DESCRIPTION, MAX_SEO_TITLE, MAX_TEXT } from './product-input.js';

/** The kinds of resource translationsRegister takes, by their global id's type. */
export type TranslatableType = 'Product' | 'ProductVariant' | 'ProductOption' | 'Category' | 'Store';

/** How a resource type is stored in "Translation"."resourceType". */
export const RESOURCE_TYPES: Record<Exclude<TranslatableType, 'Store'>, string> = {
  Product: 'PRODUCT',
  ProductVariant: 'PRODUCT_VARIANT',
  ProductOption: 'PRODUCT_OPTION',
  Category: 'CATEGORY',
};

const MAX_LONG_TEXT = 65_535;

const FIXED_KEYS: Record<TranslatableType, Readonly<Record<string, number>>> = {
  Product: {
    title: MAX_TEXT,
    description: MAX_LONG_TEXT,
    seoTitle: MAX_SEO_TITLE,
    seoDescription: MAX_SEO_DESCRIPTION,
  },
  ProductVariant: { title: MAX_TEXT },
  ProductOption: { name: MAX_TEXT },
  Category: { name: MAX_TEXT, description: MAX_LONG_TEXT },
  Store: STORE_TRANSLATION_KEYS,
};

/** The key of an option value's translation: `value:` and the value as stored. */
export const optionValueKey = (value: string) => `value:${value}`;

/**
 * The longest text a key of this resource takes, or null when the resource has no such field (an
 * option's values are keys of their own, `value:<value>`).
 */
export function maxLengthOf(type: TranslatableType, key: string, option: ProductOption | null): number | null {
  const fixed = FIXED_KEYS[type][key];
  if (fixed !== undefined) return fixed;
  if (type === 'ProductOption' && option && option.values.some((value) => optionValueKey(value) === key))
    return MAX_TEXT;
  return null;
}
