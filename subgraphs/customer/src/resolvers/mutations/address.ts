import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { createAddress, deleteAddress, setDefaultAddress, updateAddress } from '../../services/address.service.js';

/** The calling customer's address book. */
export const addressMutations: MutationResolvers = {
  customerAddressCreate: (_parent, { input }, context) => createAddress(context, input),
  customerAddressUpdate: (_parent, { input }, context) => updateAddress(context, input),
  customerAddressDelete: (_parent, { input }, context) => deleteAddress(context, input.id),
  customerDefaultAddressSet: (_parent, { addressId, shipping, billing }, context) =>
    setDefaultAddress(context, addressId, { shipping, billing }),
};
