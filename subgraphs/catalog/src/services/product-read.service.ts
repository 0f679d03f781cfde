import { Prisma, type Product, type ProductVariant } from '@commerce/database';
import { arrayConnection, badUserInput, keyOf, keyOrNull, keysetConnection, type Connection, type Money, type PageArgs, type SortKey } from '@commerce/graphql-kit';
import type { ProductFilter, ProductSortKeys } from '../__generated__/resolvers-types.js';
import type { SubgraphContext } from '../context.js';
import { highest, lowest, storeMoney } from './price.js';
import { PRODUCT_SORT_KEYS, productWhere } from './product-filter.js';
import type { SelectedOptionValue } from './product-input.js';
import { seesUnpublishedProducts, visibleProduct } from './visibility.js';

export interface ProductListArgs extends PageArgs {
  filter?: ProductFilter | null;
  sortKey?: ProductSortKeys | null;
  reverse?: boolean | null;
}

const ZERO = new Prisma.Decimal(0);

const VARIANT_ORDER: SortKey<ProductVariant> = { field: 'position', kind: 'number', value: (variant) => variant.position };

/** A page of the store's products the caller may see, filtered and sorted. */
export async function listProducts(context: SubgraphContext, storeId: string, args: ProductListArgs): Promise<Connection<Product>> {
  const where = productWhere(storeId, args.filter, await seesUnpublishedProducts(context));
  return keysetConnection({
    args,
    sort: PRODUCT_SORT_KEYS[args.sortKey ?? 'CREATED_AT'],
    reverse: args.reverse ?? false,
    fetch: (page) =>
      context.db.transaction((tx) =>
        tx.product.findMany({
          where: { AND: [where, page.where as Prisma.ProductWhereInput] },
          orderBy: page.orderBy as Prisma.ProductOrderByWithRelationInput[],
          take: page.take,
        }),
      ),
    count: () => context.db.transaction((tx) => tx.product.count({ where })),
  });
}

/** One product of the store by global id or by handle (exactly one of them), if the caller may see it. */
export async function findStoreProduct(context: SubgraphContext, args: { id?: string | null; handle?: string | null }): Promise<Product | null> {
  if ((args.id == null) === (args.handle == null)) throw badUserInput('Pass exactly one of "id" and "handle".', [args.id == null ? 'handle' : 'id']);
  if (args.id != null) {
    return visibleProduct(context, await context.loaders.productById.load(keyOf(args.id, 'Product', ['id'])));
  }
  return visibleProduct(context, await context.loaders.productByHandle.load(args.handle ?? ''));
}

/** The product an entity reference (or `node`) names, if the caller may see it. */
export async function findProduct(context: SubgraphContext, id: string): Promise<Product | null> {
  const key = keyOrNull(id, 'Product');
  return key === null ? null : visibleProduct(context, await context.loaders.productById.load(key));
}

/** The variant an entity reference (or `node`) names, if the caller may see its product. */
export async function findVariant(context: SubgraphContext, id: string): Promise<ProductVariant | null> {
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

/** A page of a product's variants in position order. */
export async function listVariants(context: SubgraphContext, productId: string, args: PageArgs): Promise<Connection<ProductVariant>> {
  return arrayConnection(await context.loaders.variantsByProduct.load(productId), args, VARIANT_ORDER);
}

/** Lowest and highest price of a product's variants. */
export async function priceRange(context: SubgraphContext, product: Product): Promise<{ minVariantPrice: Money; maxVariantPrice: Money }> {
  const prices = (await context.loaders.variantsByProduct.load(product.id)).map((variant) => variant.price);
  // Products made through the API always have a variant; the stored range covers any others.
  const min = lowest(prices) ?? product.minPrice ?? ZERO;
  const max = highest(prices) ?? product.maxPrice ?? ZERO;
  return { minVariantPrice: storeMoney(context, min), maxVariantPrice: storeMoney(context, max) };
}

/** A variant's stored option values ([{ name, value }] in option order). */
export function selectedOptions(variant: ProductVariant): SelectedOptionValue[] {
  const stored = Array.isArray(variant.selectedOptions) ? variant.selectedOptions : [];
  return stored.flatMap((entry) =>
    typeof entry === 'object' && entry !== null && !Array.isArray(entry) && typeof entry.name === 'string' && typeof entry.value === 'string'
      ? [{ name: entry.name, value: entry.value }]
      : [],
  );
}
