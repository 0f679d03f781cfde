import type { ApolloServerPlugin, BaseContext } from '@apollo/server';

/**
 * Request headers that change an answer: the tenant (X-Store, or the host of a custom domain), the
 * caller, language and currency, the page's origin (CORS headers) and Accept (the explorer's page
 * is served at the same URL).
 */
const VARY = 'accept, origin, x-store, authorization, accept-language, x-currency, host, x-forwarded-host';

/**
 * Cache-Control and Vary of GraphQL answers, so that browsers and CDNs may keep anonymous
 * storefront answers of GET queries as long as the gateway's storefront cache does, and never keep
 * anything personal or failed. Replaces Apollo Server's cache-control plugin, whose hints the
 * subgraphs do not send through the gateway.
 */
export function httpCachingPlugin(publicMaxAgeSeconds: number): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response, operation }) {
          const { body, http } = response;
          const anonymous = !request.http?.headers.get('authorization');
          const succeeded =
            body.kind === 'single' && !body.singleResult.errors?.length && body.singleResult.data != null;
          const cacheable = anonymous && succeeded && operation?.operation === 'query' && publicMaxAgeSeconds > 0;
          http.headers.set('cache-control', cacheable ? `public, max-age=${publicMaxAgeSeconds}` : 'private, no-store');
          http.headers.set('vary', VARY);
        },
      };
    },
  };
}
