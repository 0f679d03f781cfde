// Seeding helpers for the catalog tests: categories through the API, bulk rows straight into the
// database (bulk import comes later).
import { randomUUID } from 'node:crypto';
import { Prisma, type PrismaClient } from '@commerce/database';
import { toGlobalId } from '@commerce/graphql-kit';
import type { TestProduct } from './catalog.js';
import type { GraphClient } from './client.js';
import { unique, type TestSeller, type TestStore } from './seed.js';

/** Every field of a product, for tests that look at all of them. */
export const PRODUCT_FIELDS = `
  id title handle description status tags vendor productType createdAt updatedAt
  options { name values }
  variants(first: 10) {
    totalCount
    edges { cursor node {
      id title sku
      price { amount currencyCode }
      compareAtPrice { amount currencyCode }
      selectedOptions { name value }
      inventory { available committed onHand tracked }
      product { id }
    } }
  }
  images { id url altText position }
  categories { id name handle parent { id } }
  priceRange { minVariantPrice { amount currencyCode } maxVariantPrice { amount currencyCode } }
  totalInventory`;

export const PRODUCT_CREATE = `mutation ($input: ProductCreateInput!) {
  productCreate(input: $input) { product { ${PRODUCT_FIELDS} } userErrors { field message code } }
}`;

export const CATEGORY_CREATE = `mutation ($input: CategoryCreateInput!) {
  categoryCreate(input: $input) { category { id name handle description parent { id name } } userErrors { field message code } }
}`;

/** Creates a category through the API as the store's owner; fails on userErrors. */
export async function createCategory(
  client: GraphClient,
  store: TestStore,
  input: Record<string, unknown> = {},
): Promise<{ id: string; name: string; handle: string }> {
  const data = await client.data(
    CATEGORY_CREATE,
    { input: { name: `Category ${unique('c')}`, ...input } },
    { token: store.owner.accessToken, store: store.slug },
  );
  if (data.categoryCreate.userErrors.length) throw new Error(JSON.stringify(data.categoryCreate.userErrors));
  return data.categoryCreate.category;
}

export interface BulkProduct {
  title: string;
  description?: string;
  tags?: string[];
  status?: 'DRAFT' | 'ACTIVE' | 'ARCHIVED';
  prices: string[];
  createdAt?: Date;
  updatedAt?: Date;
  images?: number;
  categoryId?: string;
}

/**
 * Inserts products with variants (and optionally images and a category link) as the owner, in a few
 * statements of unnest()ed arrays: 10,000 products take about a second.
 */
export async function insertProducts(owner: PrismaClient, storeId: string, products: BulkProduct[]): Promise<string[]> {
  const ids = products.map(() => randomUUID());
  const prices = (product: BulkProduct) => product.prices.map((price) => new Prisma.Decimal(price));
  await owner.$executeRaw`
    INSERT INTO "Product" ("id", "storeId", "title", "handle", "description", "tags", "status", "minPrice", "maxPrice", "createdAt", "updatedAt")
    SELECT id, ${storeId}::uuid, title, 'bulk-' || id::text, description, ARRAY(SELECT jsonb_array_elements_text(tags)), status::"ProductStatus",
           min_price, max_price, coalesce(created_at, now()), coalesce(updated_at, now())
    FROM unnest(
      ${ids}::uuid[], ${products.map((product) => product.title)}::text[], ${products.map((product) => product.description ?? '')}::text[],
      ${products.map((product) => JSON.stringify(product.tags ?? []))}::jsonb[], ${products.map((product) => product.status ?? 'ACTIVE')}::text[],
      ${products.map((product) => Prisma.Decimal.min(...prices(product)).toFixed())}::numeric[],
      ${products.map((product) => Prisma.Decimal.max(...prices(product)).toFixed())}::numeric[],
      ${products.map((product) => product.createdAt?.toISOString() ?? null)}::timestamptz[],
      ${products.map((product) => product.updatedAt?.toISOString() ?? null)}::timestamptz[]
    ) AS t(id, title, description, tags, status, min_price, max_price, created_at, updated_at)`;
  const variants = products.flatMap((product, i) =>
    product.prices.map((price, position) => ({ productId: ids[i] ?? '', price, position })),
  );
  await owner.$executeRaw`
    INSERT INTO "ProductVariant" ("storeId", "productId", "title", "price", "position", "trackInventory")
    SELECT ${storeId}::uuid, product_id, 'V' || position, price, position, false
    FROM unnest(${variants.map((variant) => variant.productId)}::uuid[], ${variants.map((variant) => variant.price)}::numeric[], ${variants.map((variant) => variant.position)}::int[])
      AS t(product_id, price, position)`;
  const images = products.flatMap((product, i) =>
    Array.from({ length: product.images ?? 0 }, (_, position) => ({
      storeId,
      productId: ids[i] ?? '',
      url: `https://img.example.com/${ids[i]}/${position}.jpg`,
      position,
    })),
  );
  if (images.length) await owner.productImage.createMany({ data: images });
  const links = products.flatMap((product, i) =>
    product.categoryId ? [{ storeId, productId: ids[i] ?? '', categoryId: product.categoryId }] : [],
  );
  if (links.length) await owner.productCategory.createMany({ data: links });
  return ids;
}

/** The columns behind the sort keys of `Store.products`, of products a test inserted. */
export interface SortedProduct {
  id: string;
  title: string;
  price: Prisma.Decimal;
  createdAt: Date;
  updatedAt: Date;
}

export type ProductSortKeyName = 'TITLE' | 'PRICE' | 'CREATED_AT' | 'UPDATED_AT';

function compareBy(sortKey: ProductSortKeyName, a: SortedProduct, b: SortedProduct): number {
  switch (sortKey) {
    case 'TITLE':
      return a.title < b.title ? -1 : a.title > b.title ? 1 : 0;
    case 'PRICE':
      return a.price.comparedTo(b.price);
    case 'CREATED_AT':
      return a.createdAt.getTime() - b.createdAt.getTime();
    case 'UPDATED_AT':
      return a.updatedAt.getTime() - b.updatedAt.getTime();
  }
}

/** A page of `Store.products` with only ids and cursors, for paging tests. */
export const PRODUCT_PAGE = `query ($first: Int, $after: String, $last: Int, $before: String, $sortKey: ProductSortKeys, $reverse: Boolean, $filter: ProductFilter) {
  store { products(first: $first, after: $after, last: $last, before: $before, sortKey: $sortKey, reverse: $reverse, filter: $filter) {
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  } }
}`;

export interface ProductPage {
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** The global ids in the order the API should list these products: the sort key, then the id, both flipped by `reverse`. */
export function expectedProductOrder(
  rows: readonly SortedProduct[],
  sortKey: ProductSortKeyName,
  reverse: boolean,
): string[] {
  const sign = reverse ? -1 : 1;
  return [...rows]
    .sort((a, b) => sign * (compareBy(sortKey, a, b) || (a.id < b.id ? -1 : 1)))
    .map((row) => toGlobalId('Product', row.id));
}

/** Inserted products with their sort columns, from what insertProducts was given and returned (one price each). */
export function sortedProducts(products: readonly BulkProduct[], ids: readonly string[]): SortedProduct[] {
  return products.map((product, i) => ({
    id: ids[i] ?? '',
    title: product.title,
    price: new Prisma.Decimal(product.prices[0] ?? '0'),
    createdAt: product.createdAt ?? new Date(0),
    updatedAt: product.updatedAt ?? new Date(0),
  }));
}

/** Request options of the store's owner. */
export function asOwner(store: TestStore): { token: string; store: string } {
  return { token: store.owner.accessToken, store: store.slug };
}

/** Request options of a seller acting in a store. */
export function asSeller(seller: TestSeller, store: TestStore): { token: string; store: string } {
  return { token: seller.accessToken, store: store.slug };
}

const USER_ERRORS = 'userErrors { field message code }';
const VARIANT_FIELDS = `id title sku barcode position price { amount } compareAtPrice { amount } selectedOptions { name value }
  trackInventory allowOversell lowStockThreshold lowStock inventory { available committed onHand tracked }`;
const LEVEL_FIELDS = 'id available committed onHand location { id name isDefault } variant { id }';
const MOVEMENT_FIELDS =
  'id delta availableAfter reason actorType staffSellerId idempotencyKey createdAt location { id } variant { id }';

export const PRODUCT_UPDATE = `mutation ($input: ProductUpdateInput!) { productUpdate(input: $input) { product { ${PRODUCT_FIELDS} } ${USER_ERRORS} } }`;
export const PRODUCT_DELETE = `mutation ($id: ID!) { productDelete(id: $id) { deletedProductId product { id status } ${USER_ERRORS} } }`;
export const VARIANTS_CREATE = `mutation ($input: ProductVariantsCreateInput!) { productVariantsCreate(input: $input) {
  product { id priceRange { minVariantPrice { amount } maxVariantPrice { amount } } variants(first: 100) { nodes { id title } } }
  productVariants { ${VARIANT_FIELDS} } ${USER_ERRORS} } }`;
export const VARIANTS_UPDATE = `mutation ($input: ProductVariantsUpdateInput!) { productVariantsUpdate(input: $input) {
  product { id priceRange { minVariantPrice { amount } maxVariantPrice { amount } } compareAtPriceRange { minVariantPrice { amount } maxVariantPrice { amount } } }
  productVariants { ${VARIANT_FIELDS} } ${USER_ERRORS} } }`;
export const VARIANTS_DELETE = `mutation ($input: ProductVariantsDeleteInput!) { productVariantsDelete(input: $input) {
  product { id priceRange { minVariantPrice { amount } maxVariantPrice { amount } } variants(first: 100) { nodes { id title } } }
  deletedVariantIds ${USER_ERRORS} } }`;
export const CATEGORY_UPDATE = `mutation ($input: CategoryUpdateInput!) { categoryUpdate(input: $input) { category { id name handle description parent { id } } ${USER_ERRORS} } }`;
export const CATEGORY_DELETE = `mutation ($id: ID!) { categoryDelete(id: $id) { deletedCategoryId ${USER_ERRORS} } }`;
export const LOCATION_CREATE = `mutation ($input: InventoryLocationCreateInput!) { inventoryLocationCreate(input: $input) {
  inventoryLocation { id name isDefault active address { address1 city zip countryCode } } ${USER_ERRORS} } }`;
export const LOCATION_UPDATE = `mutation ($input: InventoryLocationUpdateInput!) { inventoryLocationUpdate(input: $input) {
  inventoryLocation { id name isDefault active address { address1 city zip countryCode } } ${USER_ERRORS} } }`;
export const INVENTORY_ADJUST = `mutation ($input: InventoryAdjustInput!, $key: String) { inventoryAdjust(input: $input, idempotencyKey: $key) {
  stockMovement { ${MOVEMENT_FIELDS} } inventoryLevel { ${LEVEL_FIELDS} } ${USER_ERRORS} } }`;
export const INVENTORY_SET = `mutation ($input: InventorySetInput!, $key: String) { inventorySet(input: $input, idempotencyKey: $key) {
  stockMovement { ${MOVEMENT_FIELDS} } inventoryLevel { ${LEVEL_FIELDS} } ${USER_ERRORS} } }`;

/** The store's default location, as the owner sees it (created by the first stock change). */
export async function defaultLocationOf(client: GraphClient, store: TestStore): Promise<{ id: string; name: string }> {
  const data = await client.data(
    `{ store { inventoryLocations(first: 100) { nodes { id name isDefault } } } }`,
    {},
    asOwner(store),
  );
  const location = data.store.inventoryLocations.nodes.find((node: { isDefault: boolean }) => node.isDefault);
  if (!location) throw new Error('the store has no default location');
  return location;
}

/** The id of a product's first variant. */
export function firstVariantId(product: TestProduct): string {
  const id = product.variants[0]?.id;
  if (!id) throw new Error('the product has no variant');
  return id;
}

/** A userError as "field.path CODE". */
export function problem(error: { field: string[] | null; code: string }): string {
  return `${(error.field ?? []).join('.')} ${error.code}`;
}
