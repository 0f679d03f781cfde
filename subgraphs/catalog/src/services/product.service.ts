import { randomUUID } from 'node:crypto';
import { Prisma, type Product, type Transaction } from '@commerce/database';
import {
  InputErrors,
  requirePermission,
  requireStore,
  userError,
  violatedUniqueIndex,
  type RequestContext,
  type UserError,
  type StoreActor,
} from '@commerce/graphql-kit';
import type { ProductCreateInput, ProductErrorCode } from '../__generated__/resolvers-types.js';
import { firstFreeHandle, handleFromTitle, lockHandleGeneration } from './handle.js';
import { announceProduct } from './catalog-events.js';
import { recordInitialStock } from './inventory.service.js';
import { highest, lowest } from './price.js';
import { readProductInput, type ProductDraft, type VariantDraft } from './product-input.js';
import { insertCategories, insertImages, insertOptions, missingCategories, skusOf, takenSkus } from './product-rows.js';

export interface ProductCreateResult {
  product: Product | null;
  userErrors: UserError<ProductErrorCode>[];
}

const ZERO = new Prisma.Decimal(0);

// A generated handle can still lose a race to a product created with that handle given; it is then picked again.
const MAX_ATTEMPTS = 3;

/** Where a unique violation of a product mutation shows as TAKEN, by the index it violated. */
export const TAKEN_FIELDS: Record<string, { field: string[]; message: string }> = {
  Product_storeId_handle_key: {
    field: ['input', 'handle'],
    message: 'Another product has just taken this handle; choose another.',
  },
  ProductVariant_storeId_sku_key: {
    field: ['input', 'variants'],
    message: 'Another product has just taken one of these SKUs; choose another.',
  },
};

/**
 * Creates a product with its options, variants, images, categories and starting stock in one
 * transaction. Needs MANAGE_PRODUCTS; every problem with the input comes back as a userError.
 */
export async function createProduct(context: RequestContext, input: ProductCreateInput): Promise<ProductCreateResult> {
  const { storeId, actor } = await requirePermission(context, 'MANAGE_PRODUCTS');
  const read = readProductInput(input, requireStore(context).currencyCode);
  if (!read.ok) return { product: null, userErrors: read.userErrors };
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await context.db.transaction((tx) => insertProduct(tx, storeId, actor, read.draft));
    } catch (error) {
      const index = violatedUniqueIndex(error);
      if (index === null) throw error;
      if (index === 'Product_storeId_handle_key' && read.draft.handle === null && attempt < MAX_ATTEMPTS) continue;
      const taken = TAKEN_FIELDS[index] ?? {
        field: null,
        message: 'Something in this product was just taken by another one; try again.',
      };
      return { product: null, userErrors: [userError(taken.field, taken.message, 'TAKEN')] };
    }
  }
}

/** The checks that need the store's data: handle, SKUs and categories. */
async function checkAgainstStore(
  tx: Transaction,
  storeId: string,
  draft: ProductDraft,
): Promise<UserError<ProductErrorCode>[]> {
  const errors = new InputErrors<ProductErrorCode>();
  if (draft.handle !== null) {
    const holder = await tx.product.findUnique({
      where: { storeId_handle: { storeId, handle: draft.handle } },
      select: { id: true },
    });
    if (holder) errors.add(['input', 'handle'], 'Another product has this handle; choose another.', 'TAKEN');
  }
  const taken = await takenSkus(
    tx,
    storeId,
    draft.variants.flatMap((variant) => (variant.sku === null ? [] : [variant.sku])),
  );
  draft.variants.forEach((variant, i) => {
    if (variant.sku !== null && taken.has(variant.sku))
      errors.add(['input', 'variants', String(i), 'sku'], `Another product has the SKU "${variant.sku}".`, 'TAKEN');
  });
  return [...errors.errors, ...(await missingCategories(tx, storeId, draft.categories))];
}

async function generatedHandle(tx: Transaction, storeId: string, title: string): Promise<string> {
  await lockHandleGeneration(tx, 'product', storeId);
  const base = handleFromTitle(title, 'product');
  const taken = await tx.product.findMany({
    where: { storeId, handle: { startsWith: base } },
    select: { handle: true },
  });
  return firstFreeHandle(
    base,
    taken.map((product) => product.handle),
  );
}

/** Inserts new variants of a product after `firstPosition`, with their starting stock; returns their ids in order. */
export async function insertVariants(
  tx: Transaction,
  storeId: string,
  actor: StoreActor,
  productId: string,
  drafts: readonly VariantDraft[],
  firstPosition: number,
): Promise<string[]> {
  const variants = drafts.map((variant, i) => ({ ...variant, id: randomUUID(), position: firstPosition + i }));
  await tx.productVariant.createMany({
    data: variants.map((variant) => ({
      id: variant.id,
      storeId,
      productId,
      title: variant.title,
      sku: variant.sku,
      barcode: variant.barcode,
      price: variant.price,
      compareAtPrice: variant.compareAtPrice,
      selectedOptions: variant.selectedOptions,
      position: variant.position,
      trackInventory: variant.trackInventory,
      allowOversell: variant.allowOversell,
      lowStockThreshold: variant.lowStockThreshold,
    })),
  });
  await recordInitialStock(
    tx,
    storeId,
    actor,
    variants.flatMap((variant) =>
      variant.trackInventory && variant.inventoryQuantity !== null
        ? [{ variantId: variant.id, quantity: variant.inventoryQuantity, allowOversell: variant.allowOversell }]
        : [],
    ),
  );
  return variants.map((variant) => variant.id);
}

async function insertProduct(
  tx: Transaction,
  storeId: string,
  actor: StoreActor,
  draft: ProductDraft,
): Promise<ProductCreateResult> {
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
      seoTitle: draft.seoTitle,
      seoDescription: draft.seoDescription,
      status: draft.status,
      publishedAt: draft.status === 'ACTIVE' ? new Date() : null,
      tags: draft.tags,
      vendor: draft.vendor,
      productType: draft.productType,
      // Kept here so that listings can sort and filter by price, and search finds SKUs, without
      // reading variants (refreshVariantSummary keeps them when variants change).
      minPrice: lowest(prices) ?? ZERO,
      maxPrice: highest(prices) ?? ZERO,
      variantSkus: skusOf(draft.variants),
    },
  });
  await insertOptions(tx, storeId, productId, draft.options);
  await insertVariants(tx, storeId, actor, productId, draft.variants, 0);
  await insertImages(tx, storeId, productId, draft.images);
  await insertCategories(tx, storeId, productId, draft.categories);
  await announceProduct(
    tx,
    storeId,
    product.publishedAt ? ['product.created', 'product.published'] : 'product.created',
    productId,
  );
  return { product, userErrors: [] };
}
