// Seeding helpers for the catalog tests: products and categories through the API, staff members
// and bulk rows straight into the database (staff management and bulk import come later).
import { randomUUID } from 'node:crypto';
import { Prisma, type PrismaClient, type StaffRole } from '@commerce/database';
import { signUpSeller, unique, type GraphClient, type TestSeller, type TestStore } from '@commerce/testkit';

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

export interface CreatedProduct {
  id: string;
  handle: string;
  title: string;
  status: string;
  variants: { edges: { node: { id: string; sku: string | null; price: { amount: string } } }[] };
}

/** A minimal valid productCreate input, with overrides. */
export function productInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: `Product ${unique('p')}`, status: 'ACTIVE', variants: [{ price: '10.00' }], ...overrides };
}

/** Creates a product through the API as the store's owner; fails on userErrors. */
export async function createProduct(client: GraphClient, store: TestStore, overrides: Record<string, unknown> = {}): Promise<CreatedProduct> {
  const data = await client.data(PRODUCT_CREATE, { input: productInput(overrides) }, { token: store.owner.accessToken, store: store.slug });
  if (data.productCreate.userErrors.length) throw new Error(JSON.stringify(data.productCreate.userErrors));
  return data.productCreate.product;
}

/** Creates a category through the API as the store's owner; fails on userErrors. */
export async function createCategory(client: GraphClient, store: TestStore, input: Record<string, unknown> = {}): Promise<{ id: string; name: string; handle: string }> {
  const data = await client.data(CATEGORY_CREATE, { input: { name: `Category ${unique('c')}`, ...input } }, { token: store.owner.accessToken, store: store.slug });
  if (data.categoryCreate.userErrors.length) throw new Error(JSON.stringify(data.categoryCreate.userErrors));
  return data.categoryCreate.category;
}

/** A new seller on the store's staff with this role. */
export async function addStaffMember(client: GraphClient, owner: PrismaClient, store: TestStore, role: StaffRole): Promise<TestSeller> {
  const seller = await signUpSeller(client);
  await owner.staffMember.create({ data: { storeId: rawKey(store.id), sellerId: rawKey(seller.id), email: seller.email, role } });
  return seller;
}

/** The database key inside a global id. */
export function rawKey(globalId: string): string {
  const text = Buffer.from(globalId, 'base64url').toString('utf8');
  return text.slice(text.indexOf(':') + 1);
}

/** The global id of a row, as the API shows it. */
export function globalId(type: string, key: string): string {
  return Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');
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

/** Inserts products with variants (and optionally images and a category link) as the owner, in a few statements. */
export async function insertProducts(owner: PrismaClient, storeId: string, products: BulkProduct[]): Promise<string[]> {
  const rows = products.map((product) => ({ ...product, id: randomUUID() }));
  const prices = (product: BulkProduct) => product.prices.map((price) => new Prisma.Decimal(price));
  await owner.product.createMany({
    data: rows.map((product) => ({
      id: product.id,
      storeId,
      title: product.title,
      description: product.description,
      tags: product.tags,
      handle: `${unique('bulk')}-${product.id.slice(0, 8)}`,
      status: product.status ?? 'ACTIVE',
      minPrice: Prisma.Decimal.min(...prices(product)),
      maxPrice: Prisma.Decimal.max(...prices(product)),
      createdAt: product.createdAt,
      updatedAt: product.updatedAt,
    })),
  });
  const variants: Prisma.ProductVariantCreateManyInput[] = rows.flatMap((product) =>
    product.prices.map((price, position) => ({ storeId, productId: product.id, title: `V${position}`, price, position, trackInventory: false })),
  );
  await owner.productVariant.createMany({ data: variants });
  const images = rows.flatMap((product) =>
    Array.from({ length: product.images ?? 0 }, (_, position) => ({ storeId, productId: product.id, url: `https://img.example.com/${product.id}/${position}.jpg`, position })),
  );
  if (images.length) await owner.productImage.createMany({ data: images });
  const links = rows.flatMap((product) => (product.categoryId ? [{ storeId, productId: product.id, categoryId: product.categoryId }] : []));
  if (links.length) await owner.productCategory.createMany({ data: links });
  return rows.map((product) => product.id);
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
const MOVEMENT_FIELDS = 'id delta availableAfter reason actorType staffSellerId idempotencyKey createdAt location { id } variant { id }';

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
  const data = await client.data(`{ store { inventoryLocations(first: 100) { nodes { id name isDefault } } } }`, {}, asOwner(store));
  const location = data.store.inventoryLocations.nodes.find((node: { isDefault: boolean }) => node.isDefault);
  if (!location) throw new Error('the store has no default location');
  return location;
}

/** The id of a product's first variant. */
export function firstVariantId(product: CreatedProduct): string {
  const id = product.variants.edges[0]?.node.id;
  if (!id) throw new Error('the product has no variant');
  return id;
}

/** A userError as "field.path CODE". */
export function problem(error: { field: string[] | null; code: string }): string {
  return `${(error.field ?? []).join('.')} ${error.code}`;
}

/** Relay settings for tests that count SQL statements: no LISTEN wake-ups, no polling while they run. */
export const QUIET_RELAY = { listenDatabaseUrl: null, relayPollIntervalMs: 24 * 3_600_000 };
