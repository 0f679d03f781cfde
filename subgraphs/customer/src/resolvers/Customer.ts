import { ownerMetafield, ownerMetafields } from '@commerce/metafields';
import { toGlobalId } from '@commerce/graphql-kit';
import type { CustomerResolvers } from '../__generated__/resolvers-types.js';
import { canReadStaffFields, defaultAddress, displayName, findVisibleCustomer } from '../services/customer.service.js';
import { formatDate } from '../services/profile-rules.js';
import { customerLoyalty } from '../services/loyalty.service.js';
import { followedStores, storeFollows } from '../services/store-follow.service.js';
import { customerWishlist } from '../services/wishlist.service.js';

export const Customer: CustomerResolvers = {
  __resolveReference: (reference, context) => findVisibleCustomer(context, reference.id),
  id: (customer) => toGlobalId('Customer', customer.id),
  displayName: (customer) => displayName(customer),
  dateOfBirth: (customer) => (customer.dateOfBirth ? formatDate(customer.dateOfBirth) : null),
  emailVerified: (customer) => customer.emailVerifiedAt !== null,
  note: async (customer, _args, context) => ((await canReadStaffFields(context)) ? customer.note : null),
  addresses: (customer, _args, context) => context.loaders.addressesByCustomer.load(customer.id),
  defaultAddress: (customer, _args, context) => defaultAddress(context, customer, 'shipping'),
  defaultShippingAddress: (customer, _args, context) => defaultAddress(context, customer, 'shipping'),
  defaultBillingAddress: (customer, _args, context) => defaultAddress(context, customer, 'billing'),
  wishlist: (customer, args, context) => customerWishlist(context, customer, args),
  followedStores: (customer, _args, context) => followedStores(context, customer),
  storeFollows: (customer, _args, context) => storeFollows(context, customer),
  loyalty: (customer, _args, context) => customerLoyalty(context, customer),
  metafield: (customer, { namespace, key }, context) =>
    ownerMetafield(context.loaders.customerMetafields, customer.id, namespace, key),
  metafields: (customer, args, context) => ownerMetafields(context.loaders.customerMetafields, customer.id, args),
};
