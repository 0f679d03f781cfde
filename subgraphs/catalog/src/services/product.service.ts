import { randomUUID } from 'node:crypto';
import type { Product, Transaction } from '@commerce/database';
import { InputErrors, requirePermission, requireStore, userError, type RequestContext, type UserError } from '@commerce/graphql-kit';
import type { ProductCreateInput } from '../__generated__/resolvers-types.js';
import { firstFreeHandle, handleFromTitle, lockHandleGeneration } from './handle.js';
import { recordInitialStock } from './inventory.service.js';
import { highest, lowest } from './price.js';
import { readProductInput, type ProductDraft } from './product-input.js';
import { violatedUniqueIndex } from './unique-violation.js';

export interface ProductCreateResult {
  product: Product | null;
  userErrors: UserError[];
}

// A generated handle can still lose a race to a product created with that handle given; it is then picked again.
const MAX_ATTEMPTS = 3;

const TAKEN_FIELDS: Record<string, { field: string[]; message: string }> = {
  Product_storeId_handle_key: { field: ['input', 'handle'], message: 'Another product has just taken this handle; choose another.' },
  ProductVariant_storeId_sku_key: { field: ['input', 'variants'], message: 'Another product has just taken one of these SKUs; choose another.' },
};

/**
 * Creates a product with its options, variants, images, categories and starting stock in one
 * transaction. Needs MANAGE_PRODUCTS; every problem with the input comes back as a userError.
 */
export async function createProduct(context: RequestContext, input: ProductCreateInput): Promise<ProductCreateResult> {
  const { storeId, sellerId } = await requirePermission(context, 'MANAGE_PRODUCTS');
  const read = readProductInput(input, requireStore(context).currencyCode);
  if (!read.ok) return { product: null, userErrors: read.userErrors };
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await context.db.transaction((tx) => insertProduct(tx, storeId, sellerId, read.draft));
    } catch (error) {
      const index = violatedUniqueIndex(error);
      if (index === null) throw error;
      if (index === 'Product_storeId_handle_key' && read.draft.handle === null && attempt < MAX_ATTEMPTS) continue;
      const taken = TAKEN_FIELDS[index] ?? { field: null, message: 'Something in this product was just taken by another one; try again.' };
      return { product: null, userErrors: [userError(taken.field, taken.message, 'TAKEN')] };
    }
  }
}

/** The checks that need the store's data: handle, SKUs and categories. */
async function checkAgainstStore(tx: Transaction, storeId: string, draft: ProductDraft): Promise<UserError[]> {
  const errors = new InputErrors();
  if (draft.handle !== null) {
    const holder = await tx.product.findUnique({ where: { storeId_handle: { storeId, handle: draft.handle } }, select: { id: true } });
    if (holder) errors.add(['input', 'handle'], 'Another product has this handle; choose another.', 'TAKEN');
  }
  const skus = draft.variants.flatMap((variant) => (variant.sku === null ? [] : [variant.sku]));
  if (skus.length > 0) {
    const taken = new Set((await tx.productVariant.findMany({ where: { sku: { in: skus } }, select: { sku: true } })).map((variant) => variant.sku));
    draft.variants.forEach((variant, i) => {
      if (variant.sku !== null && taken.has(variant.sku)) errors.add(['input', 'variants', String(i), 'sku'], `Another product has the SKU "${variant.sku}".`, 'TAKEN');
    });
  }
  if (draft.categories.length > 0) {
    const keys = draft.categories.map((category) => category.key);
    const found = new Set((await tx.category.findMany({ where: { id: { in: keys } }, select: { id: true } })).map((category) => category.id));
    for (const category of draft.categories) {
      if (!found.has(category.key)) errors.add(['input', 'categoryIds', String(category.index)], 'There is no such category in this store.', 'NOT_FOUND');
    }
  }
  return errors.errors;
}

async function generatedHandle(tx: Transaction, storeId: string, title: string): Promise<string> {
  await lockHandleGeneration(tx, 'product', storeId);
  const base = handleFromTitle(title, 'product');
  const taken = await tx.product.findMany({ where: { handle: { startsWith: base } }, select: { handle: true } });
  return firstFreeHandle(base, taken.map((product) => product.handle));
}

async function insertProduct(tx: Transaction, storeId: string, sellerId: string, draft: ProductDraft): Promise<ProductCreateResult> {
  const userErrors = await checkAgainstStore(tx, storeId, draft);
  if (userErrors.length > 0) return { product: null, userErrors };

  const productId = randomUUID();
  const prices = draft.variants.map((variant) => variant.price);
  const handle = draft.handle ?? (await generatedHandle(tx, storeId, draft.title));
  const product = await tx.product.create({
    data: {
      id: productId,
      storeId,
      title: draft.title,
      handle,
      description: draft.description,
      status: draft.status,
      tags: draft.tags,
      vendor: draft.vendor,
      productType: draft.productType,
      // Kept here so that listings can sort and filter by price without reading variants.
      minPrice: lowest(prices),
      maxPrice: highest(prices),
    },
  });
  if (draft.options.length > 0) {
    await tx.productOption.createMany({ data: draft.options.map((option, position) => ({ storeId, productId, name: option.name, values: option.values, position })) });
  }
  const variants = draft.variants.map((variant, position) => ({ ...variant, id: randomUUID(), position }));
  await tx.productVariant.createMany({
    data: variants.map((variant) => ({
      id: variant.id,
      storeId,
      productId,
      title: variant.title,
      sku: variant.sku,
      price: variant.price,
      compareAtPrice: variant.compareAtPrice,
      selectedOptions: variant.selectedOptions,
      position: variant.position,
      trackInventory: variant.trackInventory,
      allowOversell: variant.allowOversell,
    })),
  });
  if (draft.images.length > 0) {
    await tx.productImage.createMany({ data: draft.images.map((image, position) => ({ storeId, productId, url: image.url, altText: image.altText, position })) });
  }
  if (draft.categories.length > 0) {
    await tx.productCategory.createMany({ data: draft.categories.map((category, position) => ({ storeId, productId, categoryId: category.key, position })) });
  }
  await recordInitialStock(
    tx,
    storeId,
    sellerId,
    variants.flatMap((variant) =>
      variant.trackInventory && variant.inventoryQuantity !== null
        ? [{ variantId: variant.id, quantity: variant.inventoryQuantity, allowOversell: variant.allowOversell }]
        : [],
    ),
  );
  return { product, userErrors: [] };
}
