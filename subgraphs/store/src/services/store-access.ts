import type { StaffRole } from '@commerce/database';
import { forbidden, requireSeller, type RequestContext } from '@commerce/graphql-kit';

/**
 * A store's own rows (domains, staff, shipping, tax) are read only in a request for that store,
 * whose transactions row-level security scopes to it; elsewhere they would read as empty.
 */
export function requireRequestStore(context: RequestContext, storeId: string): void {
  if (context.store?.id !== storeId) {
    throw forbidden("A store's domains, staff, shipping and tax settings can be read only in a request for that store: send X-Store with its id or slug.");
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
