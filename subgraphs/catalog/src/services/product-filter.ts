import { Prisma, type Product } from '@commerce/database';
import { keyOf, type SortKey } from '@commerce/graphql-kit';
import type { ProductFilter, ProductSortKeys } from '../__generated__/resolvers-types.js';

const ZERO = new Prisma.Decimal(0);

/** The column behind each sort key of `Store.products`; the id breaks ties. */
export const PRODUCT_SORT_KEYS: Record<ProductSortKeys, SortKey<Product>> = {
  TITLE: { field: 'title', kind: 'string', value: (product) => product.title },
  // productCreate always sets minPrice; it is nullable only for products without variants.
  PRICE: { field: 'minPrice', kind: 'decimal', value: (product) => product.minPrice ?? ZERO },
  CREATED_AT: { field: 'createdAt', kind: 'date', value: (product) => product.createdAt },
  UPDATED_AT: { field: 'updatedAt', kind: 'date', value: (product) => product.updatedAt },
};

/** A variant with stock to sell: untracked, or with units available at some location. */
const SELLABLE_VARIANT: Prisma.ProductVariantWhereInput = { OR: [{ trackInventory: false }, { inventoryLevels: { some: { available: { gt: 0 } } } }] };

/** Text for `contains` with LIKE's wildcards taken literally: Prisma passes % and _ through. */
function literal(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/**
 * The products of a store a listing shows: the filter's conditions, and only ACTIVE products
 * unless the caller may see every status.
 */
export function productWhere(storeId: string, filter: ProductFilter | null | undefined, seesUnpublished: boolean): Prisma.ProductWhereInput {
  const conditions: Prisma.ProductWhereInput[] = [{ storeId }];
  if (!seesUnpublished) conditions.push({ status: 'ACTIVE' });
  if (filter?.status) conditions.push({ status: filter.status });
  const query = filter?.query?.trim();
  if (query) conditions.push({ OR: [{ title: { contains: literal(query), mode: 'insensitive' } }, { variants: { some: { sku: query } } }] });
  if (filter?.categoryId != null) {
    conditions.push({ categories: { some: { categoryId: keyOf(filter.categoryId, 'Category', ['filter', 'categoryId']) } } });
  }
  if (filter?.priceMin != null || filter?.priceMax != null) {
    // One variant must be in range on both ends, not one variant above the minimum and another below the maximum.
    const price: Prisma.DecimalFilter<'ProductVariant'> = {};
    if (filter.priceMin != null) price.gte = new Prisma.Decimal(filter.priceMin);
    if (filter.priceMax != null) price.lte = new Prisma.Decimal(filter.priceMax);
    conditions.push({ variants: { some: { price } } });
  }
  if (filter?.available != null) conditions.push(filter.available ? { variants: { some: SELLABLE_VARIANT } } : { variants: { none: SELLABLE_VARIANT } });
  const tag = filter?.tag?.trim();
  if (tag) conditions.push({ tags: { has: tag } });
  return { AND: conditions };
}
