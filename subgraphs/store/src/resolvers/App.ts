import { appPermissions } from '@commerce/auth';
import { keyOrNull, toGlobalId } from '@commerce/graphql-kit';
import type { AppResolvers } from '../__generated__/resolvers-types.js';
import { visibleApp } from '../services/app.service.js';

export const App: AppResolvers = {
  __resolveReference: (reference, context) => {
    const key = keyOrNull(reference.id, 'App');
    return key ? visibleApp(context, key) : null;
  },
  id: (app) => toGlobalId('App', app.id),
  permissions: (app) => appPermissions(app.permissions),
};
