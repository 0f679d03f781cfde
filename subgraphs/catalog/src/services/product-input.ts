import { Prisma, type ProductStatus } from '@commerce/database';
import { InputErrors, keyOrNull, minorUnits, type UserError } from '@commerce/graphql-kit';
import type {
  ProductCreateInput,
  ProductErrorCode,
  ProductImageInput,
  ProductOptionInput,
  ProductVariantInput,
  SelectedOptionInput,
} from '../__generated__/resolvers-types.js';
import { isHandle } from './handle.js';

/** Most options (Size, Colour, …) a product can have. */
export const MAX_OPTIONS = 3;
/** Most variants a product can have. */
export const MAX_VARIANTS = 100;
/** Longest short text (names, SKUs, tags, reasons) the catalog accepts. */
export const MAX_TEXT = 255;
const MAX_DESCRIPTION = 65_535;
const MAX_URL = 2_048;

/** A variant's value for one option, as stored in ProductVariant.selectedOptions. */
export type SelectedOptionValue = { name: string; value: string };

export interface OptionDraft {
  name: string;
  values: string[];
}

export interface VariantDraft {
  /** Option values joined by " / ", or "Default" for a product without options. */
  title: string;
  sku: string | null;
  barcode: string | null;
  price: Prisma.Decimal;
  compareAtPrice: Prisma.Decimal | null;
  /** One value per product option, in option order. */
  selectedOptions: SelectedOptionValue[];
  inventoryQuantity: number | null;
  trackInventory: boolean;
  allowOversell: boolean;
  lowStockThreshold: number | null;
}

/** A productCreate input that passed every check that needs no database: trimmed, deduplicated, typed. */
export interface ProductDraft {
  title: string;
  /** The handle the caller chose; null to generate one from the title. */
  handle: string | null;
  description: string;
  status: ProductStatus;
  tags: string[];
  vendor: string;
  productType: string;
  /** Category row keys, each with the index of the categoryIds entry it came from (for userErrors). */
  categories: CategoryReference[];
  options: OptionDraft[];
  variants: VariantDraft[];
  images: ImageDraft[];
  seoTitle: string | null;
  seoDescription: string | null;
}

export interface CategoryReference {
  key: string;
  index: number;
}

export interface ImageDraft {
  url: string;
  altText: string;
}

export type ProductDraftResult =
  | { ok: true; draft: ProductDraft }
  | { ok: false; userErrors: UserError<ProductErrorCode>[] };

/** A userError path inside the mutation's input. */
export const at = (...path: (string | number)[]): string[] => ['input', ...path.map(String)];

/** An amount of the store's currency: zero or more, with no more decimal places than the currency has. */
export function readAmount(
  errors: InputErrors<ProductErrorCode>,
  field: string[],
  text: string,
  currencyCode: string,
): Prisma.Decimal {
  const amount = new Prisma.Decimal(text);
  const digits = minorUnits(currencyCode);
  if (amount.lt(0)) errors.add(field, 'Use an amount of zero or more.', 'NEGATIVE');
  else if (amount.decimalPlaces() > digits) {
    const allowed = digits === 0 ? 'no decimal places' : `at most ${digits} decimal places`;
    errors.add(field, `Amounts in ${currencyCode} have ${allowed}.`, 'TOO_PRECISE');
  }
  return amount;
}

/** Adds TOO_LONG when the text is longer than `max`. */
export function maxLength(errors: InputErrors<ProductErrorCode>, field: string[], value: string, max: number): void {
  if (value.length > max) errors.add(field, `Use at most ${max} characters.`, 'TOO_LONG');
}

/** A handle the caller chose: null when blank (generate or keep one), INVALID when malformed. */
export function readHandle(
  errors: InputErrors<ProductErrorCode>,
  field: string[],
  raw: string | null | undefined,
): string | null {
  const handle = raw?.trim() || null;
  if (handle !== null && !isHandle(handle)) {
    errors.add(
      field,
      'Use lower-case letters, digits and single hyphens, e.g. blue-shirt, at most 255 characters.',
      'INVALID',
    );
  }
  return handle;
}

/** Optional short text, trimmed: null when blank. */
export function readOptionalText(
  errors: InputErrors<ProductErrorCode>,
  field: string[],
  raw: string | null | undefined,
): string | null {
  const text = raw?.trim() || null;
  if (text !== null) maxLength(errors, field, text, MAX_TEXT);
  return text;
}

/** A low-stock threshold: zero or more. */
export function readThreshold(
  errors: InputErrors<ProductErrorCode>,
  field: string[],
  value: number | null | undefined,
): number | null {
  if (value == null) return null;
  if (value < 0) errors.add(field, 'Use a threshold of zero or more.', 'NEGATIVE');
  return value;
}

function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Product options: at most three, named uniquely, each with distinct non-blank values. */
export function readOptions(
  errors: InputErrors<ProductErrorCode>,
  input: readonly ProductOptionInput[],
): OptionDraft[] {
  const options = input.map((option) => ({
    name: option.name.trim(),
    values: option.values.map((value) => value.trim()),
  }));
  if (options.length > MAX_OPTIONS)
    errors.add(at('options'), `A product has at most ${MAX_OPTIONS} options.`, 'TOO_MANY');
  const names = new Set<string>();
  options.forEach((option, i) => {
    if (!option.name) errors.add(at('options', i, 'name'), 'This field is required.', 'BLANK');
    else if (option.name.length > MAX_TEXT) maxLength(errors, at('options', i, 'name'), option.name, MAX_TEXT);
    else if (names.has(option.name))
      errors.add(at('options', i, 'name'), `Another option is already named "${option.name}".`, 'DUPLICATE');
    names.add(option.name);
    if (option.values.length === 0)
      errors.add(at('options', i, 'values'), 'Give the option at least one value.', 'BLANK');
    const values = new Set<string>();
    option.values.forEach((value, j) => {
      if (!value) errors.add(at('options', i, 'values', j), 'An option value cannot be blank.', 'BLANK');
      else if (value.length > MAX_TEXT) maxLength(errors, at('options', i, 'values', j), value, MAX_TEXT);
      else if (values.has(value)) errors.add(at('options', i, 'values', j), `"${value}" is listed twice.`, 'DUPLICATE');
      values.add(value);
    });
  });
  return options;
}

/** The key under which a variant's option values must be unique within its product. */
export function combinationKey(selected: readonly SelectedOptionValue[]): string {
  return JSON.stringify(selected.map((option) => option.value));
}

/** A variant's title: its option values, or "Default" for a product without options. */
export function variantTitle(selected: readonly SelectedOptionValue[]): string {
  return selected.map((option) => option.value).join(' / ') || 'Default';
}

/**
 * The variant's value for each product option, in option order: exactly one existing value per
 * option, and a combination no other variant has (`combinations` holds the others' and gets this one).
 */
export function readSelectedOptions(
  errors: InputErrors<ProductErrorCode>,
  field: string[],
  given: readonly SelectedOptionInput[],
  options: readonly OptionDraft[],
  combinations: Set<string>,
): SelectedOptionValue[] {
  const chosen = new Map<string, string>();
  let complete = true;
  given.forEach((entry, j) => {
    const name = entry.name.trim();
    const value = entry.value.trim();
    const option = options.find((candidate) => candidate.name === name);
    if (!option) {
      errors.add([...field, String(j), 'name'], `The product has no option "${name}".`, 'INVALID');
      complete = false;
    } else if (chosen.has(name)) {
      errors.add([...field, String(j), 'name'], `"${name}" is given more than once.`, 'DUPLICATE');
      complete = false;
    } else if (!option.values.includes(value)) {
      errors.add(
        [...field, String(j), 'value'],
        `"${value}" is not a value of ${name}; use one of ${option.values.join(', ')}.`,
        'INVALID',
      );
      complete = false;
    } else {
      chosen.set(name, value);
    }
  });
  const selected = options.map((option) => ({ name: option.name, value: chosen.get(option.name) ?? '' }));
  if (!complete) return selected;
  const missing = options.filter((option) => !chosen.has(option.name)).map((option) => option.name);
  if (missing.length > 0) {
    errors.add(field, `Give a value for ${missing.join(', ')}.`, 'INVALID');
    return selected;
  }
  const combination = combinationKey(selected);
  if (combinations.has(combination)) {
    const message =
      options.length === 0
        ? 'A product without options has a single variant; add options to offer more.'
        : 'Another variant has the same option values.';
    errors.add(field, message, 'DUPLICATE');
  }
  combinations.add(combination);
  return selected;
}

/**
 * New variants, checked against the product's options (null when those are broken, so that their
 * errors are not repeated) and the option combinations its other variants already have.
 */
export function readVariants(
  errors: InputErrors<ProductErrorCode>,
  variants: readonly ProductVariantInput[],
  options: readonly OptionDraft[] | null,
  currencyCode: string,
  combinations: Set<string> = new Set(),
): VariantDraft[] {
  const skus = new Set<string>();
  return variants.map((variant, i) => {
    const price = readAmount(errors, at('variants', i, 'price'), variant.price, currencyCode);
    const compareAtPrice =
      variant.compareAtPrice == null
        ? null
        : readAmount(errors, at('variants', i, 'compareAtPrice'), variant.compareAtPrice, currencyCode);
    const sku = readOptionalText(errors, at('variants', i, 'sku'), variant.sku);
    if (sku !== null) {
      if (skus.has(sku))
        errors.add(at('variants', i, 'sku'), `Another variant of this input has the SKU "${sku}".`, 'DUPLICATE');
      skus.add(sku);
    }
    const barcode = readOptionalText(errors, at('variants', i, 'barcode'), variant.barcode);
    const inventoryQuantity = variant.inventoryQuantity ?? null;
    if (inventoryQuantity !== null && inventoryQuantity < 0)
      errors.add(at('variants', i, 'inventoryQuantity'), 'Use a quantity of zero or more.', 'NEGATIVE');
    const lowStockThreshold = readThreshold(errors, at('variants', i, 'lowStockThreshold'), variant.lowStockThreshold);
    const selectedOptions = options
      ? readSelectedOptions(errors, at('variants', i, 'options'), variant.options ?? [], options, combinations)
      : [];
    return {
      title: variantTitle(selectedOptions),
      sku,
      barcode,
      price,
      compareAtPrice,
      selectedOptions,
      inventoryQuantity,
      trackInventory: variant.trackInventory ?? true,
      allowOversell: variant.allowOversell ?? false,
      lowStockThreshold,
    };
  });
}

/** Tags, trimmed and deduplicated; blank ones are dropped. */
export function readTags(errors: InputErrors<ProductErrorCode>, input: readonly string[]): string[] {
  const tags: string[] = [];
  input.forEach((raw, i) => {
    const tag = raw.trim();
    if (!tag) return;
    if (tag.length > MAX_TEXT) maxLength(errors, at('tags', i), tag, MAX_TEXT);
    else if (!tags.includes(tag)) tags.push(tag);
  });
  return tags;
}

/** Category keys from global ids, deduplicated; an id of something else is NOT_FOUND. */
export function readCategories(errors: InputErrors<ProductErrorCode>, ids: readonly string[]): CategoryReference[] {
  const categories: CategoryReference[] = [];
  ids.forEach((id, index) => {
    const key = keyOrNull(id, 'Category');
    if (key === null) errors.add(at('categoryIds', index), 'There is no such category in this store.', 'NOT_FOUND');
    else if (!categories.some((category) => category.key === key)) categories.push({ key, index });
  });
  return categories;
}

/** Images with http(s) URLs and optional alt text. */
export function readImages(errors: InputErrors<ProductErrorCode>, input: readonly ProductImageInput[]): ImageDraft[] {
  return input.map((image, i) => {
    const url = image.url.trim();
    if (url.length > MAX_URL) maxLength(errors, at('images', i, 'url'), url, MAX_URL);
    else if (!isWebUrl(url)) errors.add(at('images', i, 'url'), 'Use an http or https URL.', 'INVALID');
    const altText = image.altText?.trim() ?? '';
    maxLength(errors, at('images', i, 'altText'), altText, MAX_TEXT);
    return { url, altText };
  });
}

/** A description: any text up to 65535 characters. */
export function readDescription(errors: InputErrors<ProductErrorCode>, description: string): string {
  maxLength(errors, at('description'), description, MAX_DESCRIPTION);
  return description;
}

/**
 * Checks a productCreate input as far as possible without the database, in the store's currency,
 * collecting every problem as a field-level userError.
 */
export function readProductInput(input: ProductCreateInput, currencyCode: string): ProductDraftResult {
  const errors = new InputErrors<ProductErrorCode>().text(at('title'), input.title, MAX_TEXT);
  const handle = readHandle(errors, at('handle'), input.handle);
  const description = readDescription(errors, input.description ?? '');
  const vendor = input.vendor?.trim() ?? '';
  maxLength(errors, at('vendor'), vendor, MAX_TEXT);
  const productType = input.productType?.trim() ?? '';
  maxLength(errors, at('productType'), productType, MAX_TEXT);
  const tags = readTags(errors, input.tags ?? []);
  const categories = readCategories(errors, input.categoryIds ?? []);
  const optionErrors = errors.errors.length;
  const options = readOptions(errors, input.options ?? []);
  const optionsValid = errors.errors.length === optionErrors;
  if (input.variants.length === 0) errors.add(at('variants'), 'Add at least one variant.', 'BLANK');
  if (input.variants.length > MAX_VARIANTS)
    errors.add(at('variants'), `A product has at most ${MAX_VARIANTS} variants.`, 'TOO_MANY');
  const variants = readVariants(errors, input.variants, optionsValid ? options : null, currencyCode);
  const images = readImages(errors, input.images ?? []);
  const seo = readSeo(errors, input.seo);
  if (!errors.ok) return { ok: false, userErrors: errors.errors };
  return {
    ok: true,
    draft: {
      title: input.title.trim(),
      handle,
      description,
      status: input.status ?? 'DRAFT',
      tags,
      vendor,
      productType,
      categories,
      options,
      variants,
      images,
      seoTitle: seo.seoTitle ?? null,
      seoDescription: seo.seoDescription ?? null,
    },
  };
}

/** Longest SEO title and description, as search engines show them. */
export const MAX_SEO_TITLE = 70;
export const MAX_SEO_DESCRIPTION = 320;

/**
 * A product's SEO fields from an input: a field left out stays undefined (unchanged); null or
 * blank becomes null (fall back to the title or description).
 */
export function readSeo(
  errors: InputErrors<ProductErrorCode>,
  seo: { title?: string | null; description?: string | null } | null | undefined,
): { seoTitle?: string | null; seoDescription?: string | null } {
  if (!seo) return {};
  const read = (value: string | null | undefined, field: string, max: number) => {
    if (value === undefined) return undefined;
    const text = value?.trim() ?? '';
    maxLength(errors, at('seo', field), text, max);
    return text === '' ? null : text;
  };
  return {
    seoTitle: read(seo.title, 'title', MAX_SEO_TITLE),
    seoDescription: read(seo.description, 'description', MAX_SEO_DESCRIPTION),
  };
}
