// The event the store announces when its own settings change (name, status, currency, branding,
// storefront settings): storefronts read them, so gateways drop the store's cached storefront
// answers when they hear of it. Appended as the transaction's last step (the outbox keeps the
// store's counter row locked until commit).
import type { Transaction } from '@commerce/database';
import { appendOutboxEvent } from '@commerce/events';
import { toGlobalId } from '@commerce/graphql-kit';

/** Announces a change of the store's own row. */
export async function announceStoreUpdate(tx: Transaction, storeId: string): Promise<void> {
  await appendOutboxEvent(tx, {
    storeId,
    type: 'store.updated',
    aggregateType: 'Store',
    aggregateId: storeId,
    payload: { storeId: toGlobalId('Store', storeId) },
  });
}
