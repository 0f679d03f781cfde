import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PrismaClient } from '@commerce/database';
import { isCustomDomainCandidate, storeByHostname } from '@commerce/graphql-kit';
import { ANY_ORIGIN, type BrowserConfig } from './browser-config.js';

/** Request headers the project's clients send: credentials, tenant, Apollo's client identity, language, currency, tracing. */
const REQUEST_HEADERS = [
  'authorization',
  'content-type',
  'x-store',
  'accept-language',
  'x-currency',
  'x-request-id',
  'traceparent',
  'tracestate',
  'apollographql-client-name',
  'apollographql-client-version',
  'apollo-require-preflight',
  'x-apollo-operation-name',
];

/**
 * What an origin admitted only by '*' may send: no Authorization (anonymous) and no JSON
 * content type, so that its only possible request is a GET, which runs queries and never mutations.
 */
const ANONYMOUS_READ_HEADERS = REQUEST_HEADERS.filter(
  (header) => header !== 'authorization' && header !== 'content-type',
);

/** Answer headers a page may read: the wait of THROTTLED, and the id to quote in a support request. */
const EXPOSED_HEADERS = 'retry-after, x-request-id';

/** What a page's origin may do: everything, anonymous reads (GET without credentials), or nothing. */
type Admission = 'full' | 'anonymous-reads' | null;

export interface Cors {
  /**
   * Answers a preflight (and returns true), or sets the CORS headers of the answer to an actual
   * request (and returns false, so that the request goes on).
   */
  handle(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
}

/** CORS for CORS_ORIGINS and every verified custom domain of a store (DESIGN §9). */
export function createCors(
  config: Pick<BrowserConfig, 'corsOrigins' | 'corsMaxAgeSeconds'>,
  prisma: PrismaClient,
): Cors {
  const listed = new Set(config.corsOrigins.filter((origin) => origin !== ANY_ORIGIN));
  const wildcard = config.corsOrigins.includes(ANY_ORIGIN);

  async function admission(origin: string): Promise<Admission> {
    if (listed.has(origin)) return 'full';
    if (await isVerifiedStoreDomain(prisma, origin)) return 'full';
    return wildcard ? 'anonymous-reads' : null;
  }

  return {
    async handle(request, response) {
      const origin = request.headers.origin;
      if (origin === undefined) return false;
      // Caches must keep one answer per origin: another origin may get other headers, or none.
      response.setHeader('vary', 'Origin');
      // "null" is the origin of sandboxed frames and local files, which no setting can name.
      const admitted = origin === 'null' ? null : await admission(origin);
      if (request.method === 'OPTIONS' && request.headers['access-control-request-method'] !== undefined) {
        if (admitted) {
          response.setHeader('access-control-allow-origin', origin);
          response.setHeader('access-control-allow-methods', admitted === 'full' ? 'GET, POST' : 'GET');
          response.setHeader(
            'access-control-allow-headers',
            (admitted === 'full' ? REQUEST_HEADERS : ANONYMOUS_READ_HEADERS).join(', '),
          );
          response.setHeader('access-control-max-age', String(config.corsMaxAgeSeconds));
        }
        response.writeHead(204);
        response.end();
        return true;
      }
      const anonymousRead = request.method === 'GET' && request.headers.authorization === undefined;
      if (admitted === 'full' || (admitted === 'anonymous-reads' && anonymousRead)) {
        response.setHeader('access-control-allow-origin', origin);
        response.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
      }
      return false;
    },
  };
}

/**
 * Whether an origin is a verified custom domain of a store, on any port, over HTTP or HTTPS:
 * verification proves control of the hostname. The lookup shares tenant resolution's cache
 * (30 seconds, misses too, forgotten when this process verifies or removes a domain).
 */
async function isVerifiedStoreDomain(prisma: PrismaClient, origin: string): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !isCustomDomainCandidate(url.hostname)) return false;
  // A database that does not answer admits no one; the request itself then fails on its own.
  return (await storeByHostname(prisma, url.hostname).catch(() => null)) !== null;
}
