import { decodeGlobalId, isUuid } from '@commerce/graphql-kit';
import type { SubgraphContext } from '../context.js';

/** Node types owned by other subgraphs: this subgraph answers with a reference, the owner with the rest. */
const REFERENCED_TYPES = new Set(['Product', 'ProductVariant', 'Category', 'Customer', 'Order']);

/** The Node types this subgraph knows. */
export type NodeTypename = 'Store' | 'Seller' | 'Product' | 'ProductVariant' | 'Category' | 'Customer' | 'Order';

export type NodeReference = { __typename: NodeTypename; id: string; [field: string]: unknown };

function isReferencedType(type: string): type is NodeTypename {
  return REFERENCED_TYPES.has(type);
}

/**
 * Resolves a global id to a node. Stores and sellers are loaded here (null when not visible);
 * other types become references that their owning subgraph resolves under its own access rules.
 */
export async function resolveNode(context: SubgraphContext, id: string): Promise<NodeReference | null> {
  const decoded = decodeGlobalId(id);
  if (!decoded || !isUuid(decoded.key)) return null;
  if (decoded.type === 'Store') {
    const store = await context.loaders.storeById.load(decoded.key);
    return store && { ...store, __typename: 'Store' };
  }
  if (decoded.type === 'Seller') {
    // Sellers are visible only to themselves.
    if (context.viewer.kind !== 'seller' || context.viewer.sellerId !== decoded.key) return null;
    const seller = await context.loaders.sellerById.load(decoded.key);
    return seller && { ...seller, __typename: 'Seller' };
  }
  return isReferencedType(decoded.type) ? { __typename: decoded.type, id } : null;
}
