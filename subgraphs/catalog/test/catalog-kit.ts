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
