// The events of custom-field changes, so that whoever follows an owner hears of them: the gateways'
// storefront caches drop a store's answers on product.updated and store.updated, and webhooks
// deliver product.updated and customer.updated. Orders have no event of a general change; their
// custom fields are staff's and the customer's, neither cached nor announced.
import type { Transaction } from '@commerce/database';
import { appendOutboxEvents, type OutboxEventInput } from '@commerce/events';
import { toGlobalId } from '@commerce/graphql-kit';
import type { ChangedOwner } from './metafield-write.js';

/**
 * Announces the owners whose values a call changed, in its transaction: product.updated for each
 * product (a variant's is its product's), customer.updated, store.updated. One statement, and one
 * more to find variants' products when variants are among the owners.
 */
export async function announceMetafieldChanges(
  tx: Transaction,
  storeId: string,
  owners: readonly ChangedOwner[],
): Promise<void> {
  const keysOf = (ownerType: ChangedOwner['ownerType']) =>
    owners.filter((owner) => owner.ownerType === ownerType).map((owner) => owner.key);
  const variantKeys = keysOf('PRODUCT_VARIANT');
  const variantProducts =
    variantKeys.length === 0
      ? []
      : await tx.$queryRaw<{ productId: string }[]>`
          SELECT DISTINCT v."productId"::text AS "productId" FROM "ProductVariant" v
          WHERE v."storeId" = ${storeId}::uuid AND v."id" = ANY(${variantKeys}::uuid[])`;
  const productIds = [...new Set([...keysOf('PRODUCT'), ...variantProducts.map((row) => row.productId)])];
  const events: OutboxEventInput[] = [
    ...productIds.map((productId) => ({
      storeId,
      type: 'product.updated' as const,
      aggregateType: 'Product',
      aggregateId: productId,
      payload: { productId: toGlobalId('Product', productId) },
    })),
    ...keysOf('CUSTOMER').map((customerId) => ({
      storeId,
      type: 'customer.updated' as const,
      aggregateType: 'Customer',
      aggregateId: customerId,
      payload: { customerId: toGlobalId('Customer', customerId) },
    })),
    ...(keysOf('STORE').length > 0
      ? [
          {
            storeId,
            type: 'store.updated' as const,
            aggregateType: 'Store',
            aggregateId: storeId,
            payload: { storeId: toGlobalId('Store', storeId) },
          },
        ]
      : []),
  ];
  if (events.length > 0) await appendOutboxEvents(tx, events);
}
