import { toGlobalId } from '@commerce/graphql-kit';
import type { MutationResolvers } from '../../__generated__/resolvers-types.js';
import { createAddress, deleteAddress, setDefaultAddress, updateAddress, type AddressResult } from '../../services/address.service.js';

function addressPayload(result: AddressResult) {
  return result.ok ? { address: result.address, customer: result.customer, userErrors: [] } : { address: null, customer: null, userErrors: result.userErrors };
}

/** The calling customer's address book. */
export const addressMutations: MutationResolvers = {
  customerAddressCreate: async (_parent, { input }, context) => addressPayload(await createAddress(context, input)),
  customerAddressUpdate: async (_parent, { input }, context) => addressPayload(await updateAddress(context, input)),
  customerAddressDelete: async (_parent, { input }, context) => {
    const { deletedAddressId, customer } = await deleteAddress(context, input.id);
    return { deletedAddressId: toGlobalId('CustomerAddress', deletedAddressId), customer, userErrors: [] };
  },
  customerDefaultAddressSet: async (_parent, { addressId, shipping, billing }, context) => {
    const result = await setDefaultAddress(context, addressId, { shipping, billing });
    return result.ok ? { customer: result.customer, userErrors: [] } : { customer: null, userErrors: result.userErrors };
  },
};
