import { requestCurrency, requestsPresentmentCurrency } from '@commerce/currency';
import type { Product, ProductVariant } from '@commerce/database';
import {
  andThen,
  arrayConnection,
  badUserInput,
  keyOf,
  keyOrNull,
  requireStore,
  sqlConnection,
  translationLanguage,
  type Connection,
  type Eventually,
  type PageArgs,
  type SortKey,
} from '@commerce/graphql-kit';
import type { GraphQLResolveInfo } from 'graphql';
import type { ProductFilter, ProductSortKeys } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import type { ProductPriceRangeParent, ProductVariantParent } from '../mappers.js';
import { amountInRequestCurrency, variantPricesInRequestCurrency } from './presentment-prices.js';
import { highest, lowest } from './price.js';
import { productIncludes, primeIncludes } from './product-includes.js';
import { productMetafieldFilter } from './product-metafield-filter.js';
import { productQuery, productRow, type ListedProduct } from './product-query.js';
import { seesUnpublishedProducts, visibleProduct } from './visibility.js';

export interface ProductListArgs extends PageArgs {
  filter?: ProductFilter | null;
  sortKey?: ProductSortKeys | null;
  reverse?: boolean | null;
}

const VARIANT_ORDER: SortKey<ProductVariantParent> = {
  field: 'position',
  kind: 'number',
  value: (variant) => variant.position,
};

/**
 * A page of the store's products the caller may see, filtered, searched and sorted: one statement
 * per page whatever its size (and one more for totalCount, only when selected).
 */
export async function listProducts(
  context: SubgraphContext,
  storeId: string,
  args: ProductListArgs,
  info: GraphQLResolveInfo,
  categoryKey?: string,
): Promise<Connection<Product>> {
  const includes = await productIncludes(context, info, [['edges', 'node'], ['nodes']]);
  const query = productQuery({
    storeId,
    filter: args.filter,
    metafield: args.filter?.metafield ? await productMetafieldFilter(context, storeId, args.filter.metafield) : null,
    sortKey: args.sortKey ?? 'CREATED_AT',
    seesUnpublished: await seesUnpublishedProducts(context),
    categoryKey,
    language: translationLanguage(context),
  });
  return sqlConnection<ListedProduct>({
    args,
    sort: query.sort,
    reverse: args.reverse ?? false,
    fetch: (keyset) =>
      context.db.readStatement((tx) => query.page(tx, keyset, includes)).then((rows) => primeIncludes(context, rows)),
    count: () => context.db.readStatement((tx) => query.count(tx)),
  });
}

/**
 * One product of the store by global id or by handle (exactly one of them), if the caller may see
 * it; with the related rows its selected fields need, in the same statement.
 */
export async function findStoreProduct(
  context: SubgraphContext,
  storeId: string,
  args: { id?: string | null; handle?: string | null },
  info: GraphQLResolveInfo,
): Promise<Product | null> {
  if ((args.id == null) === (args.handle == null))
    throw badUserInput('Pass exactly one of "id" and "handle".', [args.id == null ? 'handle' : 'id']);
  const by = args.id != null ? { id: keyOf(args.id, 'Product', ['id']) } : { handle: args.handle ?? '' };
  const includes = await productIncludes(context, info, [[]]);
  const row = await context.db.readStatement((tx) =>
    productRow(tx, storeId, by, includes, translationLanguage(context)),
  );
  const [product] = primeIncludes(context, row ? [row] : []);
  return visibleProduct(context, product ?? null);
}

/** The product an entity reference (or `node`) names, if the caller may see it. */
export async function findProduct(context: SubgraphContext, id: string): Promise<Product | null> {
  const key = keyOrNull(id, 'Product');
  return key === null ? null : visibleProduct(context, await context.loaders.productById.load(key));
}

/** The variant an entity reference (or `node`) names, if the caller may see its product. */
export async function findVariant(context: SubgraphContext, id: string): Promise<ProductVariantParent | null> {
  const key = keyOrNull(id, 'ProductVariant');
  const variant = key === null ? null : await context.loaders.variantById.load(key);
  if (!variant) return null;
  return (await visibleProduct(context, await context.loaders.productById.load(variant.productId))) ? variant : null;
}

/** The product a variant belongs to. */
export async function productOfVariant(context: SubgraphContext, variant: ProductVariant): Promise<Product> {
  const product = await context.loaders.productById.load(variant.productId);
  if (!product) throw new Error(`Variant ${variant.id} has no product.`);
  return product;
}

/** A page of a product's variants in position order (at once when a listing primed them). */
export function listVariants(
  context: SubgraphContext,
  productId: string,
  args: PageArgs,
): Eventually<Connection<ProductVariantParent>> {
  return andThen(context.loaders.variantsByProduct.now(productId), (variants) =>
    arrayConnection(variants, args, VARIANT_ORDER),
  );
}

/**
 * Lowest and highest price of a product's variants, in the request's currency: at once in the
 * store's currency when a listing primed the variants.
 */
export function priceRange(context: SubgraphContext, product: Product): Eventually<ProductPriceRangeParent> {
  if (requestsPresentmentCurrency(context)) return presentmentPriceRange(context, product);
  return andThen(context.loaders.variantsByProduct.now(product.id), (variants) => {
    const prices = variants.map((variant) => variant.price);
    // A product always keeps a variant; the stored range covers one inserted without.
    const min = lowest(prices) ?? product.minPrice;
    const max = highest(prices) ?? product.maxPrice;
    return { min, max, currencyCode: requireStore(context).currencyCode };
  });
}

async function presentmentPriceRange(context: SubgraphContext, product: Product): Promise<ProductPriceRangeParent> {
  const variants = await context.loaders.variantsByProduct.load(product.id);
  const prices = await Promise.all(variants.map((variant) => variantPricesInRequestCurrency(context, variant)));
  // A product always keeps a variant; the stored range covers one inserted without.
  const min =
    lowest(prices.map((entry) => entry.price)) ?? (await amountInRequestCurrency(context, product.minPrice)).amount;
  const max =
    highest(prices.map((entry) => entry.price)) ?? (await amountInRequestCurrency(context, product.maxPrice)).amount;
  return { min, max, currencyCode: (await requestCurrency(context)).currencyCode };
}

/** Lowest and highest former price of the variants that have one, in the request's currency; null when none has. */
export async function compareAtPriceRange(
  context: SubgraphContext,
  product: Product,
): Promise<ProductPriceRangeParent | null> {
  const variants = await context.loaders.variantsByProduct.load(product.id);
  const priced = requestsPresentmentCurrency(context)
    ? await Promise.all(variants.map((variant) => variantPricesInRequestCurrency(context, variant)))
    : variants;
  const prices = priced.flatMap((variant) => (variant.compareAtPrice === null ? [] : [variant.compareAtPrice]));
  const min = lowest(prices);
  const max = highest(prices);
  return min === null || max === null
    ? null
    : { min, max, currencyCode: priced[0]?.currencyCode ?? requireStore(context).currencyCode };
}

/** A variant that a level or movement of the store refers to (their rows go when it goes). */
export async function variantOf(context: SubgraphContext, variantId: string): Promise<ProductVariantParent> {
  const variant = await context.loaders.variantById.load(variantId);
  if (!variant) throw new Error(`Variant ${variantId} is missing.`);
  return variant;
}
