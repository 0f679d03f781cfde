import type { Customer } from '@commerce/database';
import type { UserError } from '@commerce/graphql-kit';
import type { CustomerErrorCode } from '../__generated__/resolvers-types.js';

/** What a mutation on one customer returns, as its payload: the changed customer, or null and what the caller can fix. */
export interface CustomerResult {
  customer: Customer | null;
  userErrors: UserError<CustomerErrorCode>[];
}
