import { keyOrNull, toGlobalId } from '@commerce/graphql-kit';
import type { StoreDomainResolvers } from '../__generated__/resolvers-types.js';
import { verificationRecord } from '../services/domain.service.js';
import { visibleDomain } from '../services/store-access.js';

export const StoreDomain: StoreDomainResolvers = {
  __resolveReference: (reference, context) => {
    const key = keyOrNull(reference.id, 'StoreDomain');
    return key ? visibleDomain(context, key) : null;
  },
  id: (domain) => toGlobalId('StoreDomain', domain.id),
  verified: (domain) => domain.verifiedAt !== null,
  verificationRecord: (domain) => verificationRecord(domain),
};
