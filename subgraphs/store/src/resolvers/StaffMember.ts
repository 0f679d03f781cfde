import { keyOrNull, toGlobalId } from '@commerce/graphql-kit';
import type { StaffMemberResolvers } from '../__generated__/resolvers-types.js';
import { visibleStaffMember } from '../services/store-access.js';

export const StaffMember: StaffMemberResolvers = {
  __resolveReference: (reference, context) => {
    const key = keyOrNull(reference.id, 'StaffMember');
    return key ? visibleStaffMember(context, key) : null;
  },
  id: (member) => toGlobalId('StaffMember', member.id),
  name: async (member, _args, context) =>
    member.sellerId ? ((await context.loaders.sellerById.load(member.sellerId))?.name ?? null) : null,
  pending: (member) => member.sellerId === null,
};
