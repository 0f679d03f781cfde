import type { Prisma, Product, Transaction } from '@commerce/database';
import {
  InputErrors,
  keyOrNull,
  notFound,
  requirePermission,
  toGlobalId,
  userError,
  violatedUniqueIndex,
  type UserError,
} from '@commerce/graphql-kit';
import type { ProductErrorCode, ProductUpdateInput } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { reshapeVariants } from './product-options.js';
import {
  at,
  MAX_TEXT,
  maxLength,
  readCategories,
  readDescription,
  readHandle,
  readImages,
  readOptions,
  readSeo,
  readTags,
  type CategoryReference,
  type ImageDraft,
  type OptionDraft,
} from './product-input.js';
import { announceProduct } from './catalog-events.js';
import { insertCategories, insertImages, insertOptions, lockProduct, missingCategories } from './product-rows.js';
import { TAKEN_FIELDS } from './product.service.js';

export interface ProductUpdateResult {
  product: Product | null;
  userErrors: UserError<ProductErrorCode>[];
}

export interface ProductDeleteResult {
  deletedProductId: string | null;
  product: Product | null;
  userErrors: UserError<ProductErrorCode>[];
}

/** What a productUpdate changes; undefined leaves a field as it is. */
interface ProductChanges {
  scalars: Pick<
    Prisma.ProductUpdateInput,
    'title' | 'handle' | 'description' | 'status' | 'tags' | 'vendor' | 'productType' | 'seoTitle' | 'seoDescription'
  >;
  handle?: string;
  categories?: CategoryReference[];
  options?: OptionDraft[];
  images?: ImageDraft[];
}

type ReadResult = { ok: true; changes: ProductChanges } | { ok: false; userErrors: UserError<ProductErrorCode>[] };

/** Checks a productUpdate input without the database; null (like a left-out field) keeps a value. */
function readProductUpdate(input: ProductUpdateInput): ReadResult {
  const errors = new InputErrors<ProductErrorCode>();
  const changes: ProductChanges = { scalars: {} };
  if (input.title != null) {
    errors.text(at('title'), input.title, MAX_TEXT);
    changes.scalars.title = input.title.trim();
  }
  if (input.handle != null) {
    const handle = readHandle(errors, at('handle'), input.handle);
    if (handle === null)
      errors.add(at('handle'), 'This field cannot be blank; leave it out to keep the handle.', 'BLANK');
    else changes.handle = handle;
  }
  if (input.description != null) changes.scalars.description = readDescription(errors, input.description);
  Object.assign(changes.scalars, readSeo(errors, input.seo));
  if (input.status != null) changes.scalars.status = input.status;
  if (input.tags != null) changes.scalars.tags = readTags(errors, input.tags);
  if (input.vendor != null) {
    changes.scalars.vendor = input.vendor.trim();
    maxLength(errors, at('vendor'), changes.scalars.vendor, MAX_TEXT);
  }
  if (input.productType != null) {
    changes.scalars.productType = input.productType.trim();
    maxLength(errors, at('productType'), changes.scalars.productType, MAX_TEXT);
  }
  if (input.categoryIds != null) changes.categories = readCategories(errors, input.categoryIds);
  if (input.options != null) changes.options = readOptions(errors, input.options);
  if (input.images != null) changes.images = readImages(errors, input.images);
  return errors.ok ? { ok: true, changes } : { ok: false, userErrors: errors.errors };
}

async function applyProductUpdate(
  tx: Transaction,
  storeId: string,
  productKey: string,
  id: string,
  changes: ProductChanges,
): Promise<ProductUpdateResult> {
  const current = await lockProduct(tx, storeId, productKey);
  if (!current) throw notFound(`Product "${id}"`);
  const errors = new InputErrors<ProductErrorCode>();
  if (changes.handle !== undefined && changes.handle !== current.handle) {
    const holder = await tx.product.findUnique({
      where: { storeId_handle: { storeId, handle: changes.handle } },
      select: { id: true },
    });
    if (holder) errors.add(at('handle'), 'Another product has this handle; choose another.', 'TAKEN');
  }
  errors.errors.push(...(await missingCategories(tx, storeId, changes.categories ?? [])));
  const reshaped = changes.options
    ? reshapeVariants(
        errors,
        changes.options,
        await tx.productVariant.findMany({
          where: { storeId, productId: productKey },
          orderBy: [{ position: 'asc' }, { id: 'asc' }],
          select: { id: true, title: true, selectedOptions: true },
        }),
      )
    : [];
  if (!errors.ok) return { product: null, userErrors: errors.errors };

  // A product is published once: the first time it becomes ACTIVE. Activating it again after a
  // draft or archived spell keeps the date and announces nothing new.
  const publishes = changes.scalars.status === 'ACTIVE' && current.publishedAt === null;
  // Always written, so that updatedAt says the product changed even when only its lists did.
  const product = await tx.product.update({
    where: { storeId_id: { storeId, id: productKey } },
    data: { ...changes.scalars, handle: changes.handle, ...(publishes ? { publishedAt: new Date() } : {}) },
  });
  if (changes.categories) {
    await tx.productCategory.deleteMany({ where: { storeId, productId: productKey } });
    await insertCategories(tx, storeId, productKey, changes.categories);
  }
  if (changes.images) {
    await tx.productImage.deleteMany({ where: { storeId, productId: productKey } });
    await insertImages(tx, storeId, productKey, changes.images);
  }
  if (changes.options) {
    await tx.productOption.deleteMany({ where: { storeId, productId: productKey } });
    await insertOptions(tx, storeId, productKey, changes.options);
    for (const variant of reshaped) {
      await tx.productVariant.update({
        where: { storeId_id: { storeId, id: variant.id } },
        data: { selectedOptions: variant.selectedOptions, title: variant.title },
      });
    }
  }
  await announceProduct(
    tx,
    storeId,
    publishes ? ['product.updated', 'product.published'] : 'product.updated',
    productKey,
  );
  return { product, userErrors: [] };
}

/**
 * Changes a product of the request's store (MANAGE_PRODUCTS): its fields, and whole lists of
 * tags, categories, images or options. NOT_FOUND when the store has no such product.
 */
export async function updateProduct(context: SubgraphContext, input: ProductUpdateInput): Promise<ProductUpdateResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_PRODUCTS');
  const productKey = keyOrNull(input.id, 'Product');
  if (productKey === null) throw notFound(`Product "${input.id}"`);
  const read = readProductUpdate(input);
  if (!read.ok) return { product: null, userErrors: read.userErrors };
  try {
    return await context.db.transaction((tx) => applyProductUpdate(tx, storeId, productKey, input.id, read.changes));
  } catch (error) {
    const index = violatedUniqueIndex(error);
    if (index === null) throw error;
    const taken = TAKEN_FIELDS[index] ?? {
      field: null,
      message: 'Something in this product was just taken by another one; try again.',
    };
    return { product: null, userErrors: [userError(taken.field, taken.message, 'TAKEN')] };
  }
}

/**
 * Archives a product (MANAGE_PRODUCTS): storefronts stop seeing it, orders keep it, and staff can
 * make it ACTIVE again. Archiving an archived product changes nothing.
 */
export async function deleteProduct(context: SubgraphContext, id: string): Promise<ProductDeleteResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_PRODUCTS');
  const productKey = keyOrNull(id, 'Product');
  if (productKey === null) throw notFound(`Product "${id}"`);
  const product = await context.db.transaction(async (tx) => {
    const current = await tx.product.findUnique({ where: { storeId_id: { storeId, id: productKey } } });
    if (!current) throw notFound(`Product "${id}"`);
    if (current.status === 'ARCHIVED') return current;
    const archived = await tx.product.update({
      where: { storeId_id: { storeId, id: productKey } },
      data: { status: 'ARCHIVED' },
    });
    await announceProduct(tx, storeId, 'product.deleted', productKey);
    return archived;
  });
  return { deletedProductId: toGlobalId('Product', product.id), product, userErrors: [] };
}
