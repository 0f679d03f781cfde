import { isUuid } from '@commerce/database';
import { decodeGlobalId } from '@commerce/graphql-kit';
import type { SubgraphContext } from '../context.js';
import { visibleApp } from './app.service.js';
import { visibleDomain, visibleSeller, visibleStaffMember } from './store-access.js';
import { visibleDelivery, visibleWebhook } from './webhook.service.js';

/** Node types owned by other subgraphs: this subgraph answers with a reference, the owner with the rest. */
const REFERENCED_TYPES = new Set([
  'Product',
  'ProductVariant',
  'ProductReview',
  'ProductQuestion',
  'Category',
  'InventoryLocation',
  'Customer',
  'Order',
  'Return',
]);

/** The Node types this subgraph knows. */
export type NodeTypename =
  | 'Store'
  | 'Seller'
  | 'StoreDomain'
  | 'StaffMember'
  | 'ShippingZone'
  | 'ShippingRate'
  | 'TaxRate'
  | 'App'
  | 'Webhook'
  | 'WebhookDelivery'
  | 'Product'
  | 'ProductVariant'
  | 'ProductReview'
  | 'ProductQuestion'
  | 'Category'
  | 'InventoryLocation'
  | 'Customer'
  | 'Order'
  | 'Return';

export type NodeReference = { __typename: NodeTypename; id: string; [field: string]: unknown };

function isReferencedType(type: string): type is NodeTypename {
  return REFERENCED_TYPES.has(type);
}

function node<Row extends object>(row: Row | null, __typename: NodeTypename): NodeReference | null {
  return row && ({ ...row, __typename } as unknown as NodeReference);
}

/**
 * Resolves a global id to a node. This subgraph's own types are loaded here (null when not
 * visible: row-level security limits them to the request's store); other types become references
 * that their owning subgraph resolves under its own access rules.
 */
export async function resolveNode(context: SubgraphContext, id: string): Promise<NodeReference | null> {
  const decoded = decodeGlobalId(id);
  if (!decoded || !isUuid(decoded.key)) return null;
  const { loaders } = context;
  switch (decoded.type) {
    case 'Store':
      return node(await loaders.storeById.load(decoded.key), 'Store');
    case 'Seller':
      return node(await visibleSeller(context, decoded.key), 'Seller');
    case 'StoreDomain':
      return node(await visibleDomain(context, decoded.key), 'StoreDomain');
    case 'StaffMember':
      return node(await visibleStaffMember(context, decoded.key), 'StaffMember');
    case 'ShippingZone':
      return node(await loaders.zoneById.load(decoded.key), 'ShippingZone');
    case 'ShippingRate':
      return node(await loaders.rateById.load(decoded.key), 'ShippingRate');
    case 'TaxRate':
      return node(await loaders.taxRateById.load(decoded.key), 'TaxRate');
    case 'App':
      return node(await visibleApp(context, decoded.key), 'App');
    case 'Webhook':
      return node(await visibleWebhook(context, decoded.key), 'Webhook');
    case 'WebhookDelivery':
      return node(await visibleDelivery(context, decoded.key), 'WebhookDelivery');
    default:
      return isReferencedType(decoded.type) ? { __typename: decoded.type, id } : null;
  }
}
