import { selectsOnly } from '@commerce/graphql-kit';
import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { resolveNode } from '../services/node.service.js';
import { currentSeller } from '../services/store-access.js';
import { requestStore } from '../services/store.service.js';

export const Query: QueryResolvers = {
  store: (_parent, _args, context, info) => requestStore(context, selectsOnly(info, ['id'])),
  currentSeller: (_parent, _args, context) => currentSeller(context),
  node: (_parent, { id }, context) => resolveNode(context, id) as never,
  nodes: (_parent, { ids }, context) => Promise.all(ids.map((id) => resolveNode(context, id))) as never,
};
