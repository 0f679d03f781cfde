import DataLoader from 'dataloader';
import type {
  Category,
  InventoryLevel,
  InventoryLocation,
  Product,
  ProductAnswer,
  ProductImage,
  ProductOption,
  ProductQuestion,
  ProductReview,
  ProductVariant,
  ProductVariantPrice,
  Transaction,
} from '@commerce/database';
import {
  groupByKey,
  inCurrency,
  PrimedLoader,
  translationLanguage,
  readStoreRows,
  requireStore,
  rowByKey,
  type RequestContext,
} from '@commerce/graphql-kit';
import { createMetafieldLoader } from '@commerce/metafields';
import type { ProductVariantParent } from './mappers.js';
import { inventoryFigures, type InventoryFigures } from './services/inventory-summary.service.js';
import { readReviewSettings, type ReviewSettings } from './services/review-settings.js';

/** The per-request DataLoaders of the catalog subgraph: one statement per batch. */
export function createLoaders(context: RequestContext) {
  const read = <T>(work: (tx: Transaction) => Promise<T>) => context.db.read(work);
  // Variants are read only in their store's requests (row-level security), so they are priced in its currency.
  const variantInCurrency = (variant: ProductVariant): ProductVariantParent =>
    inCurrency(variant, requireStore(context).currencyCode);
  return {
    /** Products' custom-field values the caller may see; listings prime it from their own statement. */
    productMetafields: createMetafieldLoader(context, 'PRODUCT'),
    variantMetafields: createMetafieldLoader(context, 'PRODUCT_VARIANT'),
    /**
     * Each resource's translations in the request's language (key to text), for requests in a
     * language other than the store's default one; product listings prime it from their statement.
     */
    translations: new PrimedLoader<string, Map<string, string>>((resourceIds) =>
      readStoreRows(context, (tx, storeId) =>
        tx.translation.findMany({
          where: { storeId, resourceId: { in: [...resourceIds] }, locale: translationLanguage(context) ?? '' },
          select: { resourceId: true, key: true, value: true },
        }),
      ).then((rows) =>
        groupByKey(resourceIds, rows, (row) => row.resourceId).map(
          (group) => new Map(group.map((row) => [row.key, row.value])),
        ),
      ),
    ),
    /** Translations by "<locale>\u0000<resource key>" (staff's translations(locale)), in key order. */
    translationsIn: new DataLoader<string, { key: string; locale: string; value: string }[]>((keys) => {
      const pairs = keys.map((key) => {
        const [locale = '', resourceId = ''] = key.split('\u0000');
        return { locale, resourceId };
      });
      return readStoreRows(context, (tx, storeId) =>
        tx.translation.findMany({
          where: { storeId, OR: pairs },
          orderBy: { key: 'asc' },
          select: { resourceId: true, key: true, locale: true, value: true },
        }),
      ).then((rows) =>
        groupByKey(keys, rows, (row) => `${row.locale}\u0000${row.resourceId}`).map((group) =>
          group.map(({ key, locale, value }) => ({ key, locale, value })),
        ),
      );
    }),
    /** The store's stock figures, read once per request however many fields show them. */
    inventoryFigures: new DataLoader<string, InventoryFigures>((storeIds) =>
      Promise.all(storeIds.map((storeId) => inventoryFigures(context, storeId))),
    ),
    productById: new DataLoader<string, Product | null>((ids) =>
      readStoreRows(context, (tx, storeId) => tx.product.findMany({ where: { storeId, id: { in: [...ids] } } })).then(
        (rows) => rowByKey(ids, rows, (row) => row.id),
      ),
    ),
    variantById: new DataLoader<string, ProductVariantParent | null>((ids) =>
      readStoreRows(context, (tx, storeId) =>
        tx.productVariant.findMany({ where: { storeId, id: { in: [...ids] } } }),
      ).then((rows) => rowByKey(ids, rows.map(variantInCurrency), (row) => row.id)),
    ),
    /** Each variant's fixed price in the currency the request asks for (X-Currency), if the seller set one. */
    fixedPriceByVariant: new DataLoader<string, ProductVariantPrice | null>((variantIds) =>
      readStoreRows(context, (tx, storeId) =>
        context.requestedCurrency
          ? tx.productVariantPrice.findMany({
              where: { storeId, currencyCode: context.requestedCurrency, variantId: { in: [...variantIds] } },
            })
          : Promise.resolve([]),
      ).then((rows) => rowByKey(variantIds, rows, (row) => row.variantId)),
    ),
    /** Each variant's fixed prices in all currencies, by currency code. */
    fixedPricesByVariant: new DataLoader<string, ProductVariantPrice[]>((variantIds) =>
      readStoreRows(context, (tx, storeId) =>
        tx.productVariantPrice.findMany({
          where: { storeId, variantId: { in: [...variantIds] } },
          orderBy: [{ variantId: 'asc' }, { currencyCode: 'asc' }],
        }),
      ).then((rows) => groupByKey(variantIds, rows, (row) => row.variantId)),
    ),
    /** Each product's variants in position order. */
    variantsByProduct: new PrimedLoader<string, ProductVariantParent[]>((productIds) =>
      readStoreRows(context, (tx, storeId) =>
        tx.productVariant.findMany({
          where: { storeId, productId: { in: [...productIds] } },
          orderBy: [{ position: 'asc' }, { id: 'asc' }],
        }),
      ).then((rows) => groupByKey(productIds, rows.map(variantInCurrency), (row) => row.productId)),
    ),
    optionsByProduct: new PrimedLoader<string, ProductOption[]>((productIds) =>
      readStoreRows(context, (tx, storeId) =>
        tx.productOption.findMany({
          where: { storeId, productId: { in: [...productIds] } },
          orderBy: [{ position: 'asc' }, { id: 'asc' }],
        }),
      ).then((rows) => groupByKey(productIds, rows, (row) => row.productId)),
    ),
    imagesByProduct: new PrimedLoader<string, ProductImage[]>((productIds) =>
      readStoreRows(context, (tx, storeId) =>
        tx.productImage.findMany({
          where: { storeId, productId: { in: [...productIds] } },
          orderBy: [{ position: 'asc' }, { id: 'asc' }],
        }),
      ).then((rows) => groupByKey(productIds, rows, (row) => row.productId)),
    ),
    /** Each product's categories in the product's order; a join, because an include would cost a second statement. */
    categoriesByProduct: new DataLoader<string, Category[]>((productIds) =>
      readStoreRows(
        context,
        (tx, storeId) => tx.$queryRaw<(Category & { productId: string })[]>`
          SELECT c.*, pc."productId"::text AS "productId"
          FROM "ProductCategory" pc
          JOIN "Category" c ON c."storeId" = pc."storeId" AND c.id = pc."categoryId"
          WHERE pc."storeId" = ${storeId}::uuid AND pc."productId" = ANY(${[...productIds]}::uuid[])
          ORDER BY pc.position, c.id`,
      ).then((rows) =>
        groupByKey(productIds, rows, (row) => row.productId).map((group) =>
          group.map(({ productId: _productId, ...category }) => category),
        ),
      ),
    ),
    categoryById: new DataLoader<string, Category | null>((ids) =>
      readStoreRows(context, (tx, storeId) => tx.category.findMany({ where: { storeId, id: { in: [...ids] } } })).then(
        (rows) => rowByKey(ids, rows, (row) => row.id),
      ),
    ),
    /** Each category's direct subcategories in position order. */
    childrenByCategory: new DataLoader<string, Category[]>((parentIds) =>
      readStoreRows(context, (tx, storeId) =>
        tx.category.findMany({
          where: { storeId, parentId: { in: [...parentIds] } },
          orderBy: [{ position: 'asc' }, { id: 'asc' }],
        }),
      ).then((rows) => groupByKey(parentIds, rows, (row) => row.parentId ?? '')),
    ),
    locationById: new DataLoader<string, InventoryLocation | null>((ids) =>
      readStoreRows(context, (tx, storeId) =>
        tx.inventoryLocation.findMany({ where: { storeId, id: { in: [...ids] } } }),
      ).then((rows) => rowByKey(ids, rows, (row) => row.id)),
    ),
    /** The store's default low-stock threshold (the Store row is readable in its own tenant transaction). */
    storeLowStockThreshold: new DataLoader<string, number>((storeIds) =>
      read((tx) =>
        tx.store.findMany({ where: { id: { in: [...storeIds] } }, select: { id: true, lowStockThreshold: true } }),
      ).then((rows) => rowByKey(storeIds, rows, (row) => row.id).map((row) => row?.lowStockThreshold ?? 0)),
    ),
    /** The store's review settings; product listings prime it from their own statement. */
    reviewSettings: new DataLoader<string, ReviewSettings>((storeIds) =>
      read((tx) => readReviewSettings(tx, storeIds)),
    ),
    reviewById: new DataLoader<string, ProductReview | null>((ids) =>
      readStoreRows(context, (tx, storeId) =>
        tx.productReview.findMany({ where: { storeId, id: { in: [...ids] } } }),
      ).then((rows) => rowByKey(ids, rows, (row) => row.id)),
    ),
    questionById: new DataLoader<string, ProductQuestion | null>((ids) =>
      readStoreRows(context, (tx, storeId) =>
        tx.productQuestion.findMany({ where: { storeId, id: { in: [...ids] } } }),
      ).then((rows) => rowByKey(ids, rows, (row) => row.id)),
    ),
    /** Each question's answers, oldest first, in every status (the service filters what the caller may see). */
    answersByQuestion: new DataLoader<string, ProductAnswer[]>((questionIds) =>
      readStoreRows(context, (tx, storeId) =>
        tx.productAnswer.findMany({
          where: { storeId, questionId: { in: [...questionIds] } },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
      ).then((rows) => groupByKey(questionIds, rows, (row) => row.questionId)),
    ),
    /** Each variant's stock at every location, in a stable order. */
    inventoryLevelsByVariant: new PrimedLoader<string, InventoryLevel[]>((variantIds) =>
      readStoreRows(context, (tx, storeId) =>
        tx.inventoryLevel.findMany({
          where: { storeId, variantId: { in: [...variantIds] } },
          orderBy: [{ locationId: 'asc' }],
        }),
      ).then((rows) => groupByKey(variantIds, rows, (row) => row.variantId)),
    ),
  };
}

export type CatalogLoaders = ReturnType<typeof createLoaders>;
