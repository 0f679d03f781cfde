import type { Customer } from '@commerce/database';
import type { UserError } from '@commerce/graphql-kit';
import type { CustomerErrorCode } from '../__generated__/resolvers-types.js';

/** What a mutation on one customer returns: the changed customer, or what the caller can fix. */
export type CustomerResult = { ok: true; customer: Customer } | { ok: false; userErrors: UserError<CustomerErrorCode>[] };
