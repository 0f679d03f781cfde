import { listSetting, numberSetting, SettingError, switchSetting } from '@commerce/database';

/** How browsers reach the gateway: CORS, HTTP caching of GET answers and the explorer (DESIGN §9). */
export interface BrowserConfig {
  /**
   * Origins (scheme://host[:port]) whose pages may call the API with any header, besides every
   * verified custom domain of a store. '*' admits every other origin for anonymous reads only.
   */
  corsOrigins: string[];
  /** How long a browser may reuse a preflight's answer. */
  corsMaxAgeSeconds: number;
  /** max-age of anonymous storefront answers: the storefront cache's lifetime (STOREFRONT_CACHE_TTL_SECONDS). */
  publicMaxAgeSeconds: number;
  /** Serve the explorer at GET /graphql to browsers. */
  explorer: boolean;
  /** The X-Store header the explorer starts with ('' for none). */
  explorerStore: string;
}

/** The wildcard of CORS_ORIGINS: any origin, for anonymous reads only. */
export const ANY_ORIGIN = '*';

/** Parses CORS_ORIGINS: a comma-separated list of origins, or '*'; anything else stops the start. */
export function corsOriginsSetting(value: string | undefined, fallback: string[]): string[] {
  if (value === undefined) return fallback;
  return listSetting(value).map((entry) => {
    if (entry === ANY_ORIGIN) return entry;
    let url: URL | null;
    try {
      url = new URL(entry);
    } catch {
      url = null;
    }
    // Patterns such as https://*.example.com parse, but would match no browser's origin.
    const hostname = url?.hostname ?? '';
    const origin = url && (/^[a-z0-9.-]+$/.test(hostname) || hostname.startsWith('[')) ? url.origin : 'null';
    if (origin === 'null' || origin !== entry.replace(/\/$/, '').toLowerCase()) {
      throw new SettingError(
        `CORS_ORIGINS must list origins such as https://shop.example.com (scheme, host and port only), or *, not "${entry}" (see .env.example)`,
      );
    }
    return origin;
  });
}

/** The origin of the project's storefront as `pnpm start` assumes it (STOREFRONT_URL's default). */
const DEFAULT_STOREFRONT_ORIGIN = 'http://localhost:3000';

/** Browser settings from the environment, with their documented defaults. */
export function browserConfigFromEnvironment(): BrowserConfig {
  return {
    corsOrigins: corsOriginsSetting(process.env.CORS_ORIGINS, [DEFAULT_STOREFRONT_ORIGIN]),
    corsMaxAgeSeconds: numberSetting('CORS_MAX_AGE_SECONDS', process.env.CORS_MAX_AGE_SECONDS, 600, {
      whole: true,
      max: 86_400,
    }),
    publicMaxAgeSeconds: numberSetting('STOREFRONT_CACHE_TTL_SECONDS', process.env.STOREFRONT_CACHE_TTL_SECONDS, 60),
    // In production the explorer is opt-in: an operator who wants it there turns it on, with introspection.
    explorer: switchSetting('GRAPHQL_EXPLORER', process.env.GRAPHQL_EXPLORER, process.env.NODE_ENV !== 'production'),
    explorerStore: process.env.GRAPHQL_EXPLORER_STORE?.trim() ?? 'demo',
  };
}
