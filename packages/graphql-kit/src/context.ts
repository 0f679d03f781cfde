import { ScopedDatabase, type Database, type PrismaClient, type StaffRole } from '@commerce/database';
import {
  InvalidTokenError,
  isAppToken,
  roleHasPermission,
  staffRoleIn,
  verifyAccessToken,
  type Permission,
  type Principal,
} from '@commerce/auth';
import type { GraphQLError } from 'graphql';
import { forbidden, graphqlError, notFound, unauthenticated } from './errors.js';
import { decodeGlobalId, keyOrNull } from './global-id.js';
import { requestLanguage } from './language.js';
import { isCustomDomainCandidate, storeByHostname, storeByReference, type ResolvedStore } from './tenancy.js';

/** Who is calling. */
export type Viewer = { kind: 'anonymous' } | Principal;

/** What every subgraph's request context holds: the caller, the tenant and a database in its scope. */
export interface RequestContext {
  viewer: Viewer;
  /** The request's store, resolved before any resolver runs; null at platform scope. */
  store: ResolvedStore | null;
  /**
   * The language content is read in: the request's Accept-Language among the store's languages,
   * else the store's default one; null at platform scope.
   */
  language: string | null;
  /** Database access in the request's scope (its store and, for sellers, the seller). */
  db: ScopedDatabase;
  /** The calling seller's role in the request's store (looked up once per request). */
  staffRole(): Promise<StaffRole | null>;
  /** The currency the X-Currency header asks prices in (upper-cased), or null for the store's own. */
  requestedCurrency: string | null;
}

/** Reads a header from a Fetch-style or Node-style header collection. */
export type HeaderSource = { get(name: string): string | undefined | null };

/** The token of an Authorization header of the form "Bearer <token>"; null when there is none or it has another form. */
export function bearerTokenOf(headers: HeaderSource): string | null {
  return /^Bearer\s+(\S+)$/i.exec(headers.get('authorization')?.trim() ?? '')?.[1] ?? null;
}

function bearerToken(headers: HeaderSource): string | null {
  if (!headers.get('authorization')) return null;
  const token = bearerTokenOf(headers);
  if (!token) throw unauthenticated('The Authorization header must be "Bearer <token>".');
  return token;
}

async function viewerFrom(headers: HeaderSource): Promise<Viewer> {
  const token = bearerToken(headers);
  if (!token) return { kind: 'anonymous' };
  // The gateway exchanges a valid app token for an access token; one that reaches a subgraph is not valid.
  if (isAppToken(token))
    throw unauthenticated(
      'This app token is unknown, rotated or revoked (app tokens authenticate HTTP requests through the gateway); use the current one.',
    );
  try {
    return await verifyAccessToken(token);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw unauthenticated(`${error.message}; refresh it or sign in again.`);
    throw error;
  }
}

/** The store a request names (customer token's store, X-Store id or slug, or custom domain), or null. */
export async function storeFrom(
  prisma: PrismaClient,
  headers: HeaderSource,
  viewer: Viewer,
): Promise<ResolvedStore | null> {
  const reference = headers.get('x-store')?.trim();
  const tokenStore = viewer.kind === 'customer' || viewer.kind === 'app' ? viewer.storeId : null;
  if (reference) {
    // The header holds a slug, a store's global id (as the API shows it) or its raw key.
    const decoded = decodeGlobalId(reference);
    const store = await storeByReference(prisma, decoded?.type === 'Store' ? decoded.key : reference);
    if (!store) throw notFound(`Store "${reference}"`);
    if (tokenStore && tokenStore !== store.id)
      throw forbidden(`This ${viewer.kind} token belongs to another store than X-Store names.`);
    return store;
  }
  if (tokenStore) {
    const store = await storeByReference(prisma, tokenStore);
    if (!store) throw unauthenticated(`The store of this ${viewer.kind} token no longer exists.`);
    return store;
  }
  const host = (headers.get('x-forwarded-host') ?? headers.get('host') ?? '')
    .split(',')[0]
    ?.trim()
    .toLowerCase()
    .replace(/:\d+$/, '');
  return host && isCustomDomainCandidate(host) ? storeByHostname(prisma, host) : null;
}

/**
 * Resolves who is calling and which store the request acts on (DESIGN §4): the customer token's
 * store, else the X-Store header (id or slug), else the host's verified custom domain.
 */
export async function resolveRequestContext(database: Database, headers: HeaderSource): Promise<RequestContext> {
  const viewer = await viewerFrom(headers);
  const store = await storeFrom(database.prisma, headers, viewer);
  const sellerId = viewer.kind === 'seller' ? viewer.sellerId : null;
  const db = new ScopedDatabase(database, { storeId: store?.id ?? null, sellerId });
  let role: Promise<StaffRole | null> | undefined;
  const context: RequestContext = {
    viewer,
    store,
    language: requestLanguage(headers, store),
    db,
    requestedCurrency: headers.get('x-currency')?.trim().toUpperCase() || null,
    staffRole() {
      if (!store || !sellerId) return Promise.resolve(null);
      role ??= db.read((tx) => staffRoleIn(tx, store.id, sellerId));
      return role;
    },
  };
  // A store that is not open serves only its own staff and apps; the staff lookup costs a query only then.
  if (store && store.status !== 'ACTIVE' && viewer.kind !== 'app' && !(await context.staffRole()))
    throw storeUnavailable(store);
  return context;
}

const UNAVAILABLE_REASONS: Record<Exclude<ResolvedStore['status'], 'ACTIVE'>, string> = {
  INACTIVE: 'is closed by its owner',
  MAINTENANCE: 'is down for maintenance; try again later',
  SUSPENDED: 'has been suspended by the platform',
};

/** The STORE_UNAVAILABLE error for a request by anyone but staff to a store that is not ACTIVE. */
function storeUnavailable(store: ResolvedStore): GraphQLError {
  const reason = store.status === 'ACTIVE' ? 'is not available' : UNAVAILABLE_REASONS[store.status];
  return graphqlError('STORE_UNAVAILABLE', `The store "${store.slug}" ${reason}.`, { status: store.status });
}

/** The request's store, or a BAD_USER_INPUT error saying how to name one. */
export function requireStore(context: RequestContext): ResolvedStore {
  if (!context.store)
    throw graphqlError('BAD_USER_INPUT', 'This operation needs a store: send the X-Store header (store id or slug).');
  return context.store;
}

/**
 * The language to translate content into, or null when the request reads the store's default
 * language (the stored fields themselves, with no translation to look up).
 */
export function translationLanguage(context: RequestContext): string | null {
  return context.store && context.language && context.language !== context.store.locale ? context.language : null;
}

/** FORBIDDEN for an app that tries what only a person may do. */
function appRefused(context: RequestContext, what: string): void {
  if (context.viewer.kind === 'app') throw forbidden(`An app cannot do this: only ${what} can.`);
}

/** The calling seller's id, or UNAUTHENTICATED (FORBIDDEN for an app). */
export function requireSeller(context: RequestContext): string {
  appRefused(context, 'a signed-in seller');
  if (context.viewer.kind !== 'seller') throw unauthenticated('Sign in as a seller to do this.');
  return context.viewer.sellerId;
}

/** The calling customer's id (in the request's store), or UNAUTHENTICATED (FORBIDDEN for an app). */
export function requireCustomer(context: RequestContext): { customerId: string; storeId: string } {
  appRefused(context, 'a signed-in customer');
  if (context.viewer.kind !== 'customer') throw unauthenticated('Sign in as a customer to do this.');
  return { customerId: context.viewer.customerId, storeId: context.viewer.storeId };
}

/** Who changes a store's data: a staff member (a seller with a role) or an app. */
export type StoreActor =
  | { kind: 'staff'; sellerId: string; role: StaffRole }
  | { kind: 'app'; appId: string; name: string };

/**
 * The one permission check services use: the caller must be a seller on the request store's
 * staff with a role that grants the permission, or an app of the store granted it.
 */
export async function requirePermission(
  context: RequestContext,
  permission: Permission,
): Promise<{ storeId: string; actor: StoreActor }> {
  const { viewer } = context;
  if (viewer.kind === 'app') {
    // The app's store is the request's store: storeFrom refuses an X-Store of another one.
    const store = requireStore(context);
    if (!viewer.permissions.includes(permission))
      throw forbidden(`This app has not been granted ${permission}; ask the store's staff to grant it.`);
    return { storeId: store.id, actor: { kind: 'app', appId: viewer.appId, name: viewer.name } };
  }
  const { sellerId, storeId, role } = await requireStaffPermission(context, permission);
  return { storeId, actor: { kind: 'staff', sellerId, role } };
}

/**
 * The permission check of what only people may do (managing staff and apps): a seller on the
 * request store's staff with a role that grants the permission; FORBIDDEN for apps.
 */
export async function requireStaffPermission(
  context: RequestContext,
  permission: Permission,
): Promise<{ sellerId: string; storeId: string; role: StaffRole }> {
  const sellerId = requireSeller(context);
  const store = requireStore(context);
  const role = await context.staffRole();
  if (!role) throw forbidden('You are not on the staff of this store.');
  if (!roleHasPermission(role, permission)) throw forbidden(`Your role (${role}) does not allow this (${permission}).`);
  return { sellerId, storeId: store.id, role };
}

/** Whether the caller is staff of the request's store, or its app, with the permission (for visibility rules). */
export async function hasPermission(context: RequestContext, permission: Permission): Promise<boolean> {
  if (!context.store) return false;
  if (context.viewer.kind === 'app') return context.viewer.permissions.includes(permission);
  if (context.viewer.kind !== 'seller') return false;
  const role = await context.staffRole();
  return role !== null && roleHasPermission(role, permission);
}

/**
 * The key of a Store entity reference that another subgraph sends, checked against the request's
 * store: tenant data is read only for the store the request names.
 */
export function storeReferenceKey(context: RequestContext, id: string): string {
  const key = keyOrNull(id, 'Store');
  if (!key) throw notFound(`Store "${id}"`);
  if (context.store?.id !== key) {
    throw forbidden(
      "A store's products, customers, orders and analytics can be read only in a request for that store: send X-Store with its id or slug.",
    );
  }
  return key;
}
