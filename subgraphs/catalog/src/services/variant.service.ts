import type { Prisma, Product, ProductVariant, Transaction } from '@commerce/database';
import {
  InputErrors,
  inCurrency,
  keyOrNull,
  notFound,
  requirePermission,
  requireStore,
  toGlobalId,
  userError,
  violatedUniqueIndex,
  type UserError,
} from '@commerce/graphql-kit';
import type {
  ProductErrorCode,
  ProductVariantsCreateInput,
  ProductVariantsDeleteInput,
  ProductVariantsUpdateInput,
  ProductVariantUpdateInput,
} from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import type { ProductVariantParent } from '../mappers.js';
import { selectedOptions, storedOptions } from './product-options.js';
import {
  at,
  combinationKey,
  MAX_VARIANTS,
  readAmount,
  readOptionalText,
  readSelectedOptions,
  readThreshold,
  readVariants,
  variantTitle,
  type OptionDraft,
} from './product-input.js';
import { announceProduct } from './catalog-events.js';
import { lockProduct, refreshVariantSummary, takenSkus } from './product-rows.js';
import { insertVariants, TAKEN_FIELDS } from './product.service.js';
import { deleteOwnerMetafields } from '@commerce/metafields';

export interface VariantsResult {
  product: Product | null;
  productVariants: ProductVariantParent[] | null;
  userErrors: UserError<ProductErrorCode>[];
}

export interface VariantsDeleteResult {
  product: Product | null;
  deletedVariantIds: string[] | null;
  userErrors: UserError<ProductErrorCode>[];
}

const failed = (userErrors: UserError<ProductErrorCode>[]): VariantsResult => ({
  product: null,
  productVariants: null,
  userErrors,
});

/** Runs a change of a product's variants; a SKU taken by a concurrent change comes back as TAKEN. */
async function variantTransaction<Result>(
  context: SubgraphContext,
  work: (tx: Transaction) => Promise<Result>,
  taken: (error: UserError<ProductErrorCode>) => Result,
): Promise<Result> {
  try {
    return await context.db.transaction(work);
  } catch (error) {
    const index = violatedUniqueIndex(error);
    if (index === null) throw error;
    const field = TAKEN_FIELDS[index] ?? {
      field: null,
      message: 'Something in these variants was just taken by another one; try again.',
    };
    return taken(userError(field.field, field.message, 'TAKEN'));
  }
}

/** The product a variants mutation names, locked; NOT_FOUND when the store has none. */
async function productFor(tx: Transaction, storeId: string, productId: string): Promise<Product> {
  const key = keyOrNull(productId, 'Product');
  const product = key === null ? null : await lockProduct(tx, storeId, key);
  if (!product) throw notFound(`Product "${productId}"`);
  return product;
}

/** The product's variants in position order. */
function variantsOf(tx: Transaction, product: Pick<Product, 'storeId' | 'id'>): Promise<ProductVariant[]> {
  return tx.productVariant.findMany({
    where: { storeId: product.storeId, productId: product.id },
    orderBy: [{ position: 'asc' }, { id: 'asc' }],
  });
}

/** Variants again by id, in the order of `ids`. */
async function variantsInOrder(tx: Transaction, storeId: string, ids: readonly string[]): Promise<ProductVariant[]> {
  const rows = new Map(
    (await tx.productVariant.findMany({ where: { storeId, id: { in: [...ids] } } })).map((variant) => [
      variant.id,
      variant,
    ]),
  );
  return ids.flatMap((id) => rows.get(id) ?? []);
}

/**
 * Adds variants to a product (MANAGE_PRODUCTS) after its existing ones, each with one value per
 * product option and a combination no other variant has, with starting stock at the default location.
 */
export async function createVariants(
  context: SubgraphContext,
  input: ProductVariantsCreateInput,
): Promise<VariantsResult> {
  const { storeId, actor } = await requirePermission(context, 'MANAGE_PRODUCTS');
  const currencyCode = requireStore(context).currencyCode;
  return variantTransaction(
    context,
    async (tx) => {
      const product = await productFor(tx, storeId, input.productId);
      const existing = await variantsOf(tx, product);
      const errors = new InputErrors<ProductErrorCode>();
      if (input.variants.length === 0) errors.add(at('variants'), 'Add at least one variant.', 'BLANK');
      if (existing.length + input.variants.length > MAX_VARIANTS) {
        errors.add(
          at('variants'),
          `A product has at most ${MAX_VARIANTS} variants; it has ${existing.length}.`,
          'TOO_MANY',
        );
      }
      const combinations = new Set(existing.map((variant) => combinationKey(selectedOptions(variant))));
      const drafts = readVariants(errors, input.variants, await storedOptions(tx, product), currencyCode, combinations);
      const taken = await takenSkus(
        tx,
        storeId,
        drafts.flatMap((draft) => (draft.sku === null ? [] : [draft.sku])),
      );
      drafts.forEach((draft, i) => {
        if (draft.sku !== null && taken.has(draft.sku))
          errors.add(at('variants', i, 'sku'), `Another variant has the SKU "${draft.sku}".`, 'TAKEN');
      });
      if (!errors.ok) return failed(errors.errors);
      const next = existing.reduce((max, variant) => Math.max(max, variant.position + 1), 0);
      const ids = await insertVariants(tx, storeId, actor, product.id, drafts, next);
      const summarized = await refreshVariantSummary(tx, storeId, product.id);
      const productVariants = (await variantsInOrder(tx, storeId, ids)).map((variant) =>
        inCurrency(variant, currencyCode),
      );
      await announceProduct(tx, storeId, 'product.updated', product.id);
      return { product: summarized, productVariants, userErrors: [] };
    },
    (error) => failed([error]),
  );
}

/** One variant's changes, checked; undefined leaves a field as it is. */
interface VariantChange {
  variant: ProductVariant;
  data: Prisma.ProductVariantUpdateInput;
  allowOversell?: boolean;
}

/** Reads one entry of productVariantsUpdate against the variant it names. */
function readVariantChange(
  errors: InputErrors<ProductErrorCode>,
  i: number,
  entry: ProductVariantUpdateInput,
  variant: ProductVariant,
  currencyCode: string,
): VariantChange {
  const data: Prisma.ProductVariantUpdateInput = {};
  const field = (name: string) => at('variants', i, name);
  if (entry.price != null) data.price = readAmount(errors, field('price'), entry.price, currencyCode);
  if (entry.compareAtPrice !== undefined)
    data.compareAtPrice =
      entry.compareAtPrice === null
        ? null
        : readAmount(errors, field('compareAtPrice'), entry.compareAtPrice, currencyCode);
  if (entry.sku !== undefined) data.sku = readOptionalText(errors, field('sku'), entry.sku);
  if (entry.barcode !== undefined) data.barcode = readOptionalText(errors, field('barcode'), entry.barcode);
  if (entry.lowStockThreshold !== undefined)
    data.lowStockThreshold = readThreshold(errors, field('lowStockThreshold'), entry.lowStockThreshold);
  if (entry.trackInventory != null) data.trackInventory = entry.trackInventory;
  const change: VariantChange = { variant, data };
  if (entry.allowOversell != null && entry.allowOversell !== variant.allowOversell) {
    data.allowOversell = entry.allowOversell;
    change.allowOversell = entry.allowOversell;
  }
  return change;
}

/** Checks new option values: every variant's combination must stay unique, the unchanged ones' included. */
function readOptionChanges(
  errors: InputErrors<ProductErrorCode>,
  input: ProductVariantsUpdateInput,
  changes: (VariantChange | null)[],
  options: OptionDraft[],
  all: ProductVariant[],
): void {
  const reOptioned = new Set(
    changes.flatMap((change, i) => (change && input.variants[i]?.options != null ? [change.variant.id] : [])),
  );
  const combinations = new Set(
    all.filter((variant) => !reOptioned.has(variant.id)).map((variant) => combinationKey(selectedOptions(variant))),
  );
  changes.forEach((change, i) => {
    const given = input.variants[i]?.options;
    if (!change || given == null) return;
    const selected = readSelectedOptions(errors, at('variants', i, 'options'), given, options, combinations);
    change.data.selectedOptions = selected;
    change.data.title = variantTitle(selected);
  });
}

/** Refuses turning overselling off while a level is below zero; the levels stay locked, so none goes below zero meanwhile. */
async function checkOversellOff(
  tx: Transaction,
  errors: InputErrors<ProductErrorCode>,
  changes: (VariantChange | null)[],
): Promise<void> {
  const turningOff = changes.flatMap((change, i) =>
    change?.allowOversell === false ? [{ id: change.variant.id, title: change.variant.title, i }] : [],
  );
  if (turningOff.length === 0) return;
  const levels = await tx.$queryRaw<{ variantId: string; available: number }[]>`
    SELECT "variantId"::text AS "variantId", "available" FROM "InventoryLevel"
    WHERE "variantId" = ANY(${turningOff.map((variant) => variant.id)}::uuid[])
    FOR UPDATE`;
  for (const variant of turningOff) {
    if (levels.some((level) => level.variantId === variant.id && level.available < 0)) {
      errors.add(
        at('variants', variant.i, 'allowOversell'),
        `Variant "${variant.title}" has stock below zero; set it to zero or more first.`,
        'NEGATIVE_STOCK',
      );
    }
  }
}

/**
 * Changes variants of a product (MANAGE_PRODUCTS): prices, SKUs, options, stock settings. The
 * product's price range follows; InventoryLevel.allowOversell follows the variant's.
 */
export async function updateVariants(
  context: SubgraphContext,
  input: ProductVariantsUpdateInput,
): Promise<VariantsResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_PRODUCTS');
  const currencyCode = requireStore(context).currencyCode;
  return variantTransaction(
    context,
    async (tx) => {
      const product = await productFor(tx, storeId, input.productId);
      const all = await variantsOf(tx, product);
      const byId = new Map(all.map((variant) => [variant.id, variant]));
      const errors = new InputErrors<ProductErrorCode>();
      if (input.variants.length === 0) errors.add(at('variants'), 'Name at least one variant to change.', 'BLANK');
      const named = new Set<string>();
      const changes = input.variants.map((entry, i) => {
        const key = keyOrNull(entry.id, 'ProductVariant');
        const variant = key === null ? undefined : byId.get(key);
        if (!variant) {
          errors.add(at('variants', i, 'id'), 'The product has no such variant.', 'NOT_FOUND');
          return null;
        }
        if (named.has(variant.id))
          errors.add(at('variants', i, 'id'), 'This variant is named more than once.', 'DUPLICATE');
        named.add(variant.id);
        return readVariantChange(errors, i, entry, variant, currencyCode);
      });
      readOptionChanges(errors, input, changes, await storedOptions(tx, product), all);
      const newSkus = changes.flatMap((change) =>
        typeof change?.data.sku === 'string' && change.data.sku !== change.variant.sku ? [change.data.sku] : [],
      );
      const taken = await takenSkus(tx, storeId, newSkus);
      const seenSkus = new Set<string>();
      changes.forEach((change, i) => {
        const sku = change?.data.sku;
        if (typeof sku !== 'string' || sku === change?.variant.sku) return;
        if (taken.has(sku)) errors.add(at('variants', i, 'sku'), `Another variant has the SKU "${sku}".`, 'TAKEN');
        else if (seenSkus.has(sku))
          errors.add(at('variants', i, 'sku'), `Another variant of this input has the SKU "${sku}".`, 'DUPLICATE');
        seenSkus.add(sku);
      });
      await checkOversellOff(tx, errors, changes);
      if (!errors.ok) return failed(errors.errors);

      for (const change of changes) {
        if (!change) continue;
        await tx.productVariant.update({
          where: { storeId_id: { storeId, id: change.variant.id } },
          data: change.data,
        });
        // The CHECK on InventoryLevel reads its copy of the flag.
        if (change.allowOversell !== undefined)
          await tx.inventoryLevel.updateMany({
            where: { storeId, variantId: change.variant.id },
            data: { allowOversell: change.allowOversell },
          });
      }
      const ids = changes.flatMap((change) => (change ? [change.variant.id] : []));
      const summarized = await refreshVariantSummary(tx, storeId, product.id);
      const productVariants = (await variantsInOrder(tx, storeId, ids)).map((variant) =>
        inCurrency(variant, currencyCode),
      );
      await announceProduct(tx, storeId, 'product.updated', product.id);
      return { product: summarized, productVariants, userErrors: [] };
    },
    (error) => failed([error]),
  );
}

/** Deletes variants of a product (MANAGE_PRODUCTS), keeping at least one; their stock and movements go with them. */
export async function deleteVariants(
  context: SubgraphContext,
  input: ProductVariantsDeleteInput,
): Promise<VariantsDeleteResult> {
  const { storeId } = await requirePermission(context, 'MANAGE_PRODUCTS');
  return context.db.transaction(async (tx) => {
    const product = await productFor(tx, storeId, input.productId);
    const all = await variantsOf(tx, product);
    const ids = new Set(all.map((variant) => variant.id));
    const errors = new InputErrors<ProductErrorCode>();
    if (input.variantIds.length === 0) errors.add(at('variantIds'), 'Name at least one variant to delete.', 'BLANK');
    const doomed = new Set<string>();
    input.variantIds.forEach((id, i) => {
      const key = keyOrNull(id, 'ProductVariant');
      if (key === null || !ids.has(key))
        errors.add(at('variantIds', i), 'The product has no such variant.', 'NOT_FOUND');
      else doomed.add(key);
    });
    if (errors.ok && doomed.size === all.length) {
      errors.add(
        at('variantIds'),
        'A product keeps at least one variant; archive the product with productDelete instead.',
        'LAST_VARIANT',
      );
    }
    if (!errors.ok) return { product: null, deletedVariantIds: null, userErrors: errors.errors };
    await tx.productVariant.deleteMany({ where: { storeId, id: { in: [...doomed] } } });
    await deleteOwnerMetafields(tx, storeId, 'PRODUCT_VARIANT', [...doomed]);
    const summarized = await refreshVariantSummary(tx, storeId, product.id);
    await announceProduct(tx, storeId, 'product.updated', product.id);
    return {
      product: summarized,
      deletedVariantIds: [...doomed].map((key) => toGlobalId('ProductVariant', key)),
      userErrors: [],
    };
  });
}
