import { Prisma, type Product, type Transaction } from '@commerce/database';
import { InputErrors, type UserError } from '@commerce/graphql-kit';
import { highest, lowest } from './price.js';
import type { CategoryReference, ImageDraft, OptionDraft } from './product-input.js';
import { PRODUCT_COLUMNS } from './product-query.js';
import type { ProductErrorCode } from '../__generated__/resolvers-types.js';

/**
 * The product, locked until the transaction ends, or null when the store has none with this key.
 * Every change of a product's options or variants starts here, so that two of them never
 * interleave (e.g. a new option while variants are added).
 */
export async function lockProduct(tx: Transaction, storeId: string, productKey: string): Promise<Product | null> {
  const [product] = await tx.$queryRaw<Product[]>`
    SELECT ${PRODUCT_COLUMNS} FROM "Product" p
    WHERE p."storeId" = ${storeId}::uuid AND p."id" = ${productKey}::uuid
    FOR UPDATE`;
  return product ?? null;
}

/** A product's variants' SKUs as search reads them (Product.variantSkus): in position order, separated by spaces. */
export function skusOf(variants: readonly { sku: string | null }[]): string {
  return variants.flatMap((variant) => (variant.sku === null ? [] : [variant.sku])).join(' ');
}

/**
 * Stores again what the product keeps of its variants: its lowest and highest price (listings
 * sort and filter by them) and their SKUs (search finds the product by them, through its
 * generated search document). Every change of a product's variants ends with it, in its
 * transaction; returns the product.
 */
export async function refreshVariantSummary(tx: Transaction, storeId: string, productId: string): Promise<Product> {
  const variants = await tx.productVariant.findMany({
    where: { storeId, productId },
    orderBy: [{ position: 'asc' }, { id: 'asc' }],
    select: { price: true, sku: true },
  });
  const prices = variants.map((variant) => variant.price);
  const zero = new Prisma.Decimal(0);
  return tx.product.update({
    where: { storeId_id: { storeId, id: productId } },
    data: { minPrice: lowest(prices) ?? zero, maxPrice: highest(prices) ?? zero, variantSkus: skusOf(variants) },
  });
}

/** NOT_FOUND for each category reference the store does not have. */
export async function missingCategories(
  tx: Transaction,
  storeId: string,
  categories: readonly CategoryReference[],
): Promise<UserError<ProductErrorCode>[]> {
  if (categories.length === 0) return [];
  const keys = categories.map((category) => category.key);
  const found = new Set(
    (await tx.category.findMany({ where: { storeId, id: { in: keys } }, select: { id: true } })).map(
      (category) => category.id,
    ),
  );
  const errors = new InputErrors<ProductErrorCode>();
  for (const category of categories) {
    if (!found.has(category.key))
      errors.add(
        ['input', 'categoryIds', String(category.index)],
        'There is no such category in this store.',
        'NOT_FOUND',
      );
  }
  return errors.errors;
}

/** The SKUs among `skus` that variants of the store other than `except` already have. */
export async function takenSkus(
  tx: Transaction,
  storeId: string,
  skus: readonly string[],
  except: readonly string[] = [],
): Promise<Set<string>> {
  if (skus.length === 0) return new Set();
  const holders = await tx.productVariant.findMany({
    where: { storeId, sku: { in: [...skus] }, id: { notIn: [...except] } },
    select: { sku: true },
  });
  return new Set(holders.flatMap((variant) => (variant.sku === null ? [] : [variant.sku])));
}

/** Links a product with categories, in the given order (after its old links are gone). */
export async function insertCategories(
  tx: Transaction,
  storeId: string,
  productId: string,
  categories: readonly CategoryReference[],
): Promise<void> {
  if (categories.length > 0) {
    await tx.productCategory.createMany({
      data: categories.map((category, position) => ({ storeId, productId, categoryId: category.key, position })),
    });
  }
}

/** Adds a product's images in display order (after its old images are gone). */
export async function insertImages(
  tx: Transaction,
  storeId: string,
  productId: string,
  images: readonly ImageDraft[],
): Promise<void> {
  if (images.length > 0) {
    await tx.productImage.createMany({
      data: images.map((image, position) => ({ storeId, productId, url: image.url, altText: image.altText, position })),
    });
  }
}

/** Adds a product's options in display order (after its old options are gone). */
export async function insertOptions(
  tx: Transaction,
  storeId: string,
  productId: string,
  options: readonly OptionDraft[],
): Promise<void> {
  if (options.length > 0) {
    await tx.productOption.createMany({
      data: options.map((option, position) => ({
        storeId,
        productId,
        name: option.name,
        values: option.values,
        position,
      })),
    });
  }
}
