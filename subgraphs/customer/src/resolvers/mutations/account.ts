import { toGlobalId } from '@commerce/graphql-kit';
import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { deleteCustomer } from '../../services/customer-deletion.service.js';
import { updateCustomerByStaff } from '../../services/customer-staff.service.js';
import { updateOwnProfile } from '../../services/profile.service.js';
import type { CustomerResult } from '../../services/result.js';

function customerPayload(result: CustomerResult) {
  return result.ok ? { customer: result.customer, userErrors: [] } : { customer: null, userErrors: result.userErrors };
}

/** Profile changes by the customer and by staff, and deletion on request. */
export const accountMutations: MutationResolvers = {
  customerUpdate: async (_parent, { input }, context) => customerPayload(await updateOwnProfile(context, input)),
  customerUpdateByStaff: async (_parent, { input }, context) => customerPayload(await updateCustomerByStaff(context, input)),
  customerDelete: async (_parent, { input }, context) => {
    const result = await deleteCustomer(context, input);
    return result.ok ? { deletedCustomerId: toGlobalId('Customer', result.deletedCustomerId), userErrors: [] } : { deletedCustomerId: null, userErrors: result.userErrors };
  },
};
