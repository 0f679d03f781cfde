import type { GraphClient } from './client.js';
import { unique, type TestStore } from './seed.js';

export interface TestVariant {
  id: string;
  sku: string | null;
  price: { amount: string; currencyCode: string };
}

export interface TestProduct {
  id: string;
  handle: string;
  title: string;
  status: string;
  variants: TestVariant[];
}

/** A minimal valid productCreate input (an ACTIVE product with one variant at 10.00), with overrides. */
export function productInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: `Product ${unique('p')}`, status: 'ACTIVE', variants: [{ price: '10.00' }], ...overrides };
}

/** Creates a product through productCreate as the store's owner, from productInput(input); fails on userErrors. */
export async function createProduct(
  client: GraphClient,
  store: TestStore,
  input: Record<string, unknown> = {},
): Promise<TestProduct> {
  const data = await client.data<{
    productCreate: {
      product: (Omit<TestProduct, 'variants'> & { variants: { nodes: TestVariant[] } }) | null;
      userErrors: unknown[];
    };
  }>(
    `mutation ($input: ProductCreateInput!) { productCreate(input: $input) {
      product { id handle title status variants(first: 100) { nodes { id sku price { amount currencyCode } } } }
      userErrors { field message code }
    } }`,
    { input: productInput(input) },
    { token: store.owner.accessToken, store: store.slug },
  );
  const product = data.productCreate.product;
  if (data.productCreate.userErrors.length || !product) throw new Error(JSON.stringify(data.productCreate.userErrors));
  return { ...product, variants: product.variants.nodes };
}
