// The outbox events of a customer account's life, for webhooks (CUSTOMER_CREATED,
// CUSTOMER_UPDATED) and any other consumer: ids only, never the account's personal data, which a
// consumer reads through the graph with its own permissions.
import type { Transaction } from '@commerce/database';
import { appendOutboxEvent } from '@commerce/events';
import { toGlobalId } from '@commerce/graphql-kit';

/** Appends `customer.created` or `customer.updated` for the account, in the transaction that made the change. */
export async function announceCustomer(
  tx: Transaction,
  type: 'customer.created' | 'customer.updated',
  customer: { id: string; storeId: string },
): Promise<void> {
  await appendOutboxEvent(tx, {
    storeId: customer.storeId,
    type,
    aggregateType: 'Customer',
    aggregateId: customer.id,
    payload: { customerId: toGlobalId('Customer', customer.id) },
  });
}
