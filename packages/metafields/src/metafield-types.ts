// The vocabulary of custom fields, shared by the subgraph that writes them and those that read them.
import type { MetafieldOwnerType, MetafieldType } from '@commerce/database';

export type { MetafieldOwnerType, MetafieldType };

/** What metafield mutations answer with in userErrors; the SDL's MetafieldErrorCode. */
export type MetafieldErrorCode =
  | 'INVALID'
  | 'BLANK'
  | 'TOO_LONG'
  | 'TAKEN'
  | 'NOT_FOUND'
  | 'OWNER_TYPE_MISMATCH'
  | 'OWNER_NOT_FOUND'
  | 'REFERENCE_NOT_FOUND'
  | 'LESS_THAN_MIN'
  | 'GREATER_THAN_MAX'
  | 'NOT_A_CHOICE'
  | 'PATTERN_MISMATCH'
  | 'TOO_MANY'
  | 'DUPLICATE'
  | 'REQUIRED';

/** The global-id type of each owner type's objects. */
export const OWNER_GLOBAL_TYPES: Readonly<Record<MetafieldOwnerType, string>> = {
  PRODUCT: 'Product',
  PRODUCT_VARIANT: 'ProductVariant',
  CUSTOMER: 'Customer',
  ORDER: 'Order',
  STORE: 'Store',
};

/** The owner type of a global-id type, or null when such objects have no custom fields. */
export function ownerTypeOf(globalType: string): MetafieldOwnerType | null {
  const entry = Object.entries(OWNER_GLOBAL_TYPES).find(([, type]) => type === globalType);
  return entry ? (entry[0] as MetafieldOwnerType) : null;
}

/** The objects a reference type points at, by global-id type. */
export type ReferenceKind = 'Product' | 'ProductVariant' | 'Category';

export const REFERENCE_KINDS: Readonly<Partial<Record<MetafieldType, ReferenceKind>>> = {
  PRODUCT_REFERENCE: 'Product',
  VARIANT_REFERENCE: 'ProductVariant',
  CATEGORY_REFERENCE: 'Category',
};

/**
 * The types whose (single) values a listing filter can compare: their canonical text is short and
 * exact. Multi-line text, JSON and lists are not filterable.
 */
export const FILTERABLE_TYPES: ReadonlySet<MetafieldType> = new Set<MetafieldType>([
  'SINGLE_LINE_TEXT',
  'INTEGER',
  'DECIMAL',
  'BOOLEAN',
  'DATE',
  'DATE_TIME',
  'URL',
  'MONEY',
  'PRODUCT_REFERENCE',
  'VARIANT_REFERENCE',
  'CATEGORY_REFERENCE',
]);

/** The most values one metafieldsSet or metafieldsDelete call may carry. */
export const MAX_METAFIELDS_PER_CALL = 25;

/** The most elements of a list value. */
export const MAX_LIST_ITEMS = 128;

/** Namespaces and keys: a letter or digit first, then letters, digits, '_' and '-'; 2 to 64 characters. */
export const HANDLE = /^[a-zA-Z0-9][a-zA-Z0-9_-]{1,63}$/;
