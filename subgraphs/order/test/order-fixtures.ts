// Customers as rows, with an access token, for the order tests (orders: the testkit's insertOrder).
import { issueAccessToken } from '@commerce/auth';
import type { PrismaClient } from '@commerce/database';
import { toGlobalId } from '@commerce/graphql-kit';
import { keyOf, unique, type TestStore } from '@commerce/testkit';

export interface TestCustomer {
  id: string;
  key: string;
  email: string;
  accessToken: string;
}

/** A customer row of the store and an access token for it. */
export async function insertCustomer(owner: PrismaClient, store: TestStore): Promise<TestCustomer> {
  const email = `${unique('buyer')}@example.com`;
  const customer = await owner.customer.create({ data: { storeId: keyOf(store.id), email, firstName: 'Test', lastName: 'Buyer' } });
  const accessToken = await issueAccessToken({ kind: 'customer', customerId: customer.id, storeId: keyOf(store.id) });
  return { id: toGlobalId('Customer', customer.id), key: customer.id, email, accessToken };
}
