import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { PrismaClient } from '@commerce/database';
import type { RouteHandler } from '@commerce/graphql-kit';
import type { BrowserConfig } from './browser-config.js';
import { createCors } from './cors.js';
import { explorerPlugin, serveExplorerAsset } from './explorer/explorer.js';
import { httpCachingPlugin } from './http-caching.js';
import { refusalStatusPlugin } from './refusal-status.js';

/** What the gateway needs to answer browsers: Apollo Server plugins and a route run before GraphQL. */
export interface BrowserEdge {
  plugins: ApolloServerPlugin<BaseContext>[];
  /** CORS on /graphql (a preflight is answered here) and the explorer's files. */
  route: RouteHandler;
}

/** CORS, HTTP caching headers, refusal statuses and the explorer, as BrowserConfig says (DESIGN §9). */
export function createBrowserEdge(config: BrowserConfig, prisma: PrismaClient): BrowserEdge {
  const cors = createCors(config, prisma);
  return {
    plugins: [
      httpCachingPlugin(config.publicMaxAgeSeconds),
      ApolloServerPluginCacheControlDisabled(),
      refusalStatusPlugin(),
      // Apollo's default landing page loads Sandbox from a CDN; ours is served from this process.
      config.explorer ? explorerPlugin({ store: config.explorerStore }) : ApolloServerPluginLandingPageDisabled(),
    ],
    async route(request, response) {
      const { pathname } = new URL(request.url ?? '/', 'http://localhost');
      if (pathname !== '/graphql' && !pathname.startsWith('/graphql/')) return false;
      if (await cors.handle(request, response)) return true;
      return config.explorer && serveExplorerAsset(request, response, pathname);
    },
  };
}
