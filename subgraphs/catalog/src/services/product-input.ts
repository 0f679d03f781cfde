import { Prisma, type ProductStatus } from '@commerce/database';
import { InputErrors, keyOrNull, minorUnits, type UserError } from '@commerce/graphql-kit';
import type { ProductCreateInput, ProductVariantInput, SelectedOptionInput } from '../__generated__/resolvers-types.js';
import { isHandle } from './handle.js';

/** Most options (Size, Colour, …) a product can have. */
export const MAX_OPTIONS = 3;
const MAX_TEXT = 255;
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
  price: Prisma.Decimal;
  compareAtPrice: Prisma.Decimal | null;
  /** One value per product option, in option order. */
  selectedOptions: SelectedOptionValue[];
  inventoryQuantity: number | null;
  trackInventory: boolean;
  allowOversell: boolean;
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
  categories: { key: string; index: number }[];
  options: OptionDraft[];
  variants: VariantDraft[];
  images: { url: string; altText: string }[];
}

export type ProductDraftResult = { ok: true; draft: ProductDraft } | { ok: false; userErrors: UserError[] };

const at = (...path: (string | number)[]): string[] => ['input', ...path.map(String)];

/** An amount of the store's currency: zero or more, with no more decimal places than the currency has. */
function readAmount(errors: InputErrors, field: string[], text: string, currencyCode: string): Prisma.Decimal {
  const amount = new Prisma.Decimal(text);
  const digits = minorUnits(currencyCode);
  if (amount.lt(0)) errors.add(field, 'Use an amount of zero or more.', 'NEGATIVE');
  else if (amount.decimalPlaces() > digits) {
    const allowed = digits === 0 ? 'no decimal places' : `at most ${digits} decimal places`;
    errors.add(field, `Amounts in ${currencyCode} have ${allowed}.`, 'TOO_PRECISE');
  }
  return amount;
}

function maxLength(errors: InputErrors, field: string[], value: string, max: number): void {
  if (value.length > max) errors.add(field, `Use at most ${max} characters.`, 'TOO_LONG');
}

function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function readOptions(errors: InputErrors, input: ProductCreateInput): OptionDraft[] {
  const options = (input.options ?? []).map((option) => ({ name: option.name.trim(), values: option.values.map((value) => value.trim()) }));
  if (options.length > MAX_OPTIONS) errors.add(at('options'), `A product has at most ${MAX_OPTIONS} options.`, 'TOO_MANY');
  const names = new Set<string>();
  options.forEach((option, i) => {
    if (!option.name) errors.add(at('options', i, 'name'), 'This field is required.', 'BLANK');
    else if (option.name.length > MAX_TEXT) maxLength(errors, at('options', i, 'name'), option.name, MAX_TEXT);
    else if (names.has(option.name)) errors.add(at('options', i, 'name'), `Another option is already named "${option.name}".`, 'DUPLICATE');
    names.add(option.name);
    if (option.values.length === 0) errors.add(at('options', i, 'values'), 'Give the option at least one value.', 'BLANK');
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

/**
 * The variant's value for each product option, in option order: exactly one existing value per
 * option, and a combination no earlier variant has.
 */
function readSelectedOptions(
  errors: InputErrors,
  variantIndex: number,
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
      errors.add(at('variants', variantIndex, 'options', j, 'name'), `The product has no option "${name}".`, 'INVALID');
      complete = false;
    } else if (chosen.has(name)) {
      errors.add(at('variants', variantIndex, 'options', j, 'name'), `"${name}" is given more than once.`, 'DUPLICATE');
      complete = false;
    } else if (!option.values.includes(value)) {
      errors.add(at('variants', variantIndex, 'options', j, 'value'), `"${value}" is not a value of ${name}; use one of ${option.values.join(', ')}.`, 'INVALID');
      complete = false;
    } else {
      chosen.set(name, value);
    }
  });
  const selected = options.map((option) => ({ name: option.name, value: chosen.get(option.name) ?? '' }));
  if (!complete) return selected;
  const missing = options.filter((option) => !chosen.has(option.name)).map((option) => option.name);
  if (missing.length > 0) {
    errors.add(at('variants', variantIndex, 'options'), `Give a value for ${missing.join(', ')}.`, 'INVALID');
    return selected;
  }
  const combination = JSON.stringify(selected.map((option) => option.value));
  if (combinations.has(combination)) {
    const message =
      options.length === 0 ? 'A product without options has a single variant; add options to offer more.' : 'Another variant has the same option values.';
    errors.add(at('variants', variantIndex, 'options'), message, 'DUPLICATE');
  }
  combinations.add(combination);
  return selected;
}

function readVariants(errors: InputErrors, variants: readonly ProductVariantInput[], options: OptionDraft[] | null, currencyCode: string): VariantDraft[] {
  if (variants.length === 0) errors.add(at('variants'), 'Add at least one variant.', 'BLANK');
  const skus = new Set<string>();
  const combinations = new Set<string>();
  return variants.map((variant, i) => {
    const price = readAmount(errors, at('variants', i, 'price'), variant.price, currencyCode);
    const compareAtPrice = variant.compareAtPrice == null ? null : readAmount(errors, at('variants', i, 'compareAtPrice'), variant.compareAtPrice, currencyCode);
    const sku = variant.sku?.trim() || null;
    if (sku !== null) {
      if (sku.length > MAX_TEXT) maxLength(errors, at('variants', i, 'sku'), sku, MAX_TEXT);
      else if (skus.has(sku)) errors.add(at('variants', i, 'sku'), `Another variant of this product has the SKU "${sku}".`, 'DUPLICATE');
      skus.add(sku);
    }
    const inventoryQuantity = variant.inventoryQuantity ?? null;
    if (inventoryQuantity !== null && inventoryQuantity < 0) errors.add(at('variants', i, 'inventoryQuantity'), 'Use a quantity of zero or more.', 'NEGATIVE');
    // Matching against broken options would only repeat their errors.
    const selectedOptions = options ? readSelectedOptions(errors, i, variant.options ?? [], options, combinations) : [];
    return {
      title: selectedOptions.map((option) => option.value).join(' / ') || 'Default',
      sku,
      price,
      compareAtPrice,
      selectedOptions,
      inventoryQuantity,
      trackInventory: variant.trackInventory ?? true,
      allowOversell: variant.allowOversell ?? false,
    };
  });
}

function readTags(errors: InputErrors, input: ProductCreateInput): string[] {
  const tags: string[] = [];
  (input.tags ?? []).forEach((raw, i) => {
    const tag = raw.trim();
    if (!tag) return;
    if (tag.length > MAX_TEXT) maxLength(errors, at('tags', i), tag, MAX_TEXT);
    else if (!tags.includes(tag)) tags.push(tag);
  });
  return tags;
}

function readCategories(errors: InputErrors, input: ProductCreateInput): { key: string; index: number }[] {
  const categories: { key: string; index: number }[] = [];
  (input.categoryIds ?? []).forEach((id, index) => {
    const key = keyOrNull(id, 'Category');
    if (key === null) errors.add(at('categoryIds', index), 'There is no such category in this store.', 'NOT_FOUND');
    else if (!categories.some((category) => category.key === key)) categories.push({ key, index });
  });
  return categories;
}

function readImages(errors: InputErrors, input: ProductCreateInput): { url: string; altText: string }[] {
  return (input.images ?? []).map((image, i) => {
    const url = image.url.trim();
    if (url.length > MAX_URL) maxLength(errors, at('images', i, 'url'), url, MAX_URL);
    else if (!isWebUrl(url)) errors.add(at('images', i, 'url'), 'Use an http or https URL.', 'INVALID');
    const altText = image.altText?.trim() ?? '';
    maxLength(errors, at('images', i, 'altText'), altText, MAX_TEXT);
    return { url, altText };
  });
}

/**
 * Checks a productCreate input as far as possible without the database, in the store's currency,
 * collecting every problem as a field-level userError.
 */
export function readProductInput(input: ProductCreateInput, currencyCode: string): ProductDraftResult {
  const errors = new InputErrors().text(at('title'), input.title, MAX_TEXT);
  const handle = input.handle?.trim() || null;
  if (handle !== null && !isHandle(handle)) {
    errors.add(at('handle'), 'Use lower-case letters, digits and single hyphens, e.g. blue-shirt, at most 255 characters.', 'INVALID');
  }
  const description = input.description ?? '';
  maxLength(errors, at('description'), description, MAX_DESCRIPTION);
  const vendor = input.vendor?.trim() ?? '';
  maxLength(errors, at('vendor'), vendor, MAX_TEXT);
  const productType = input.productType?.trim() ?? '';
  maxLength(errors, at('productType'), productType, MAX_TEXT);
  const tags = readTags(errors, input);
  const categories = readCategories(errors, input);
  const optionErrors = errors.errors.length;
  const options = readOptions(errors, input);
  const optionsValid = errors.errors.length === optionErrors;
  const variants = readVariants(errors, input.variants, optionsValid ? options : null, currencyCode);
  const images = readImages(errors, input);
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
    },
  };
}
