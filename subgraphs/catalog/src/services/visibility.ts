import type { Product } from '@commerce/database';
import { hasPermission, type RequestContext } from '@commerce/graphql-kit';

/** Whether the caller sees products in every status: staff who may read products. Everyone else sees ACTIVE ones only. */
export function seesUnpublishedProducts(context: RequestContext): Promise<boolean> {
  return hasPermission(context, 'READ_PRODUCTS');
}

/** The product when the caller may see it, else null. */
export async function visibleProduct(context: RequestContext, product: Product | null): Promise<Product | null> {
  if (!product) return null;
  if (product.status === 'ACTIVE' || (await seesUnpublishedProducts(context))) return product;
  return null;
}
