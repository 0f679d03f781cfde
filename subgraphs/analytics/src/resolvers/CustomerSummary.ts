import { money } from '@commerce/graphql-kit';
import type { CustomerSummaryResolvers } from '../__generated__/resolvers-types.js';

export const CustomerSummary: CustomerSummaryResolvers = {
  averageLifetimeValue: (summary) => money(summary.averageLifetimeValue, summary.currencyCode),
};
