import { inScope, type PrismaClient, type StoreStatus } from '@commerce/database';

/** The store (tenant) a request acts on. */
export interface ResolvedStore {
  id: string;
  slug: string;
  status: StoreStatus;
  /** The currency the store sells in (every Money of the store is in it). */
  currencyCode: string;
  /** The store's default language (a BCP 47 tag). */
  locale: string;
  /** The languages the store offers besides its default one. */
  locales: string[];
}

const TTL_MS = 30_000;
const cache = new Map<string, { store: ResolvedStore | null; expires: number }>();

async function cached(
  key: string,
  cacheMisses: boolean,
  load: () => Promise<ResolvedStore | null>,
): Promise<ResolvedStore | null> {
  const hit = cache.get(key);
  if (hit && hit.expires > Date.now()) return hit.store;
  const store = await load();
  // A store created a moment ago must be found at once, so absence is remembered only for hostnames.
  if (store || cacheMisses) cache.set(key, { store, expires: Date.now() + TTL_MS });
  if (cache.size > 10_000) cache.clear();
  return store;
}

type ResolvedRow = ResolvedStore;

/**
 * Finds a store by id or slug (the X-Store header) before any tenant is set, through a
 * SECURITY DEFINER function that reveals only id, slug, status, currency and languages. Cached for 30 seconds.
 */
export function storeByReference(prisma: PrismaClient, reference: string): Promise<ResolvedStore | null> {
  return cached(`ref:${reference}`, false, async () => {
    const rows = await inScope(
      prisma,
      {},
      (tx) =>
        tx.$queryRaw<
          ResolvedRow[]
        >`SELECT id::text AS id, slug, status::text AS status, "currencyCode", locale, locales FROM app_resolve_store(${reference})`,
    );
    return rows[0] ?? null;
  });
}

/** Finds the store whose verified custom domain is this hostname. Cached for 30 seconds, misses too. */
export function storeByHostname(prisma: PrismaClient, hostname: string): Promise<ResolvedStore | null> {
  return cached(`host:${hostname}`, true, async () => {
    const rows = await inScope(
      prisma,
      {},
      (tx) =>
        tx.$queryRaw<
          ResolvedRow[]
        >`SELECT id::text AS id, slug, status::text AS status, "currencyCode", locale, locales FROM app_resolve_store_domain(${hostname})`,
    );
    return rows[0] ?? null;
  });
}

/** Forgets cached resolutions (after a slug or domain changes). */
export function forgetStoreResolutions(): void {
  cache.clear();
}

const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[?::1\]?|0\.0\.0\.0)$/;

/** Whether a hostname could be a store's custom domain (not loopback, not an IP literal). */
export function isCustomDomainCandidate(hostname: string): boolean {
  return (
    hostname.includes('.') && !LOCAL_HOST.test(hostname) && !/^[\d.]+$/.test(hostname) && !hostname.startsWith('[')
  );
}
