import type { Seller, ShippingZone, StaffMember, StaffRole, StoreDomain, TaxRate } from '@commerce/database';
import { forbidden, requireSeller, type RequestContext } from '@commerce/graphql-kit';
import type { SubgraphContext } from '../context.js';

/**
 * A store's own rows (domains, staff, shipping, tax) are read only in a request for that store,
 * whose transactions row-level security scopes to it; elsewhere they would read as empty.
 */
export function requireRequestStore(context: RequestContext, storeId: string): void {
  if (context.store?.id !== storeId) {
    throw forbidden(
      "A store's domains, staff, shipping and tax settings can be read only in a request for that store: send X-Store with its id or slug.",
    );
  }
}

/** The caller's role in the request's store, which must be this store: FORBIDDEN for non-staff. */
export async function requireStaff(context: RequestContext, storeId: string): Promise<StaffRole> {
  requireSeller(context);
  requireRequestStore(context, storeId);
  const role = await context.staffRole();
  if (!role) throw forbidden('Only staff of this store can see this.');
  return role;
}

/** Whether the caller is on the staff of the request's store (domains and staff are visible only to them). */
export async function visibleToStaff(context: RequestContext): Promise<boolean> {
  return context.viewer.kind === 'seller' && (await context.staffRole()) !== null;
}

/** The store's custom domains, for its staff. */
export async function storeDomains(context: SubgraphContext, storeId: string): Promise<StoreDomain[]> {
  await requireStaff(context, storeId);
  return context.loaders.domainsByStore.load(storeId);
}

/** The store's staff members and invitations, for its staff. */
export async function storeStaffMembers(context: SubgraphContext, storeId: string): Promise<StaffMember[]> {
  await requireStaff(context, storeId);
  return context.loaders.staffByStore.load(storeId);
}

/** The store's shipping zones, in a request for that store. */
export function storeShippingZones(context: SubgraphContext, storeId: string): Promise<ShippingZone[]> {
  requireRequestStore(context, storeId);
  return context.loaders.zonesByStore.load(storeId);
}

/** The store's tax rates, in a request for that store. */
export function storeTaxRates(context: SubgraphContext, storeId: string): Promise<TaxRate[]> {
  requireRequestStore(context, storeId);
  return context.loaders.taxRatesByStore.load(storeId);
}

/** A seller account, visible only to that seller: null for anyone else. */
export async function visibleSeller(context: SubgraphContext, sellerId: string): Promise<Seller | null> {
  if (context.viewer.kind !== 'seller' || context.viewer.sellerId !== sellerId) return null;
  return context.loaders.sellerById.load(sellerId);
}

/** The calling seller, or null when the caller is not a seller. */
export async function currentSeller(context: SubgraphContext): Promise<Seller | null> {
  return context.viewer.kind === 'seller' ? context.loaders.sellerById.load(context.viewer.sellerId) : null;
}

/** A domain of the request's store, visible only to its staff: null for anyone else. */
export async function visibleDomain(context: SubgraphContext, domainId: string): Promise<StoreDomain | null> {
  return (await visibleToStaff(context)) ? context.loaders.domainById.load(domainId) : null;
}

/** A staff member of the request's store, visible only to its staff: null for anyone else. */
export async function visibleStaffMember(context: SubgraphContext, memberId: string): Promise<StaffMember | null> {
  return (await visibleToStaff(context)) ? context.loaders.staffMemberById.load(memberId) : null;
}
