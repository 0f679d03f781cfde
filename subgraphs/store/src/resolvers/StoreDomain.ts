import { keyOrNull, toGlobalId } from '@commerce/graphql-kit';
import type { StoreDomainResolvers } from '../__generated__/resolvers-types.js';
import { verificationRecord } from '../services/domain.service.js';
import { visibleToStaff } from '../services/node.service.js';

export const StoreDomain: StoreDomainResolvers = {
  __resolveReference: async (reference, context) => {
    const key = keyOrNull(reference.id, 'StoreDomain');
    return key && (await visibleToStaff(context)) ? context.loaders.domainById.load(key) : null;
  },
  id: (domain) => toGlobalId('StoreDomain', domain.id),
  verified: (domain) => domain.verifiedAt !== null,
  verificationRecord: (domain) => verificationRecord(domain),
};
