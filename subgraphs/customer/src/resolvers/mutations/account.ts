import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { deleteCustomer } from '../../services/customer-deletion.service.js';
import { updateCustomerByStaff } from '../../services/customer-staff.service.js';
import { updateOwnProfile } from '../../services/profile.service.js';

/** Profile changes by the customer and by staff, and deletion on request. */
export const accountMutations: MutationResolvers = {
  customerUpdate: (_parent, { input }, context) => updateOwnProfile(context, input),
  customerUpdateByStaff: (_parent, { input }, context) => updateCustomerByStaff(context, input),
  customerDelete: (_parent, { input }, context) => deleteCustomer(context, input),
};
