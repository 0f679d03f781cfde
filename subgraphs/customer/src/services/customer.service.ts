import type { Customer, CustomerAddress } from '@commerce/database';
import {
  forbidden,
  hasPermission,
  keyOrNull,
  requireCustomer,
  requirePermission,
  unauthenticated,
} from '@commerce/graphql-kit';
import type { SubgraphContext } from '../context.js';

/** Full name, or the email when no name is known. */
export function displayName(customer: Customer): string {
  return `${customer.firstName} ${customer.lastName}`.trim() || customer.email;
}

/** The calling customer, or null for anyone else (and for an account deleted since the token was issued). */
export async function currentCustomer(context: SubgraphContext): Promise<Customer | null> {
  if (context.viewer.kind !== 'customer') return null;
  const customer = await context.loaders.customerById.load(context.viewer.customerId);
  return customer && customer.status !== 'DELETED' ? customer : null;
}

/**
 * The calling customer, whose account must still be usable: access tokens outlive a suspension
 * or deletion by up to their lifetime, so every change a customer makes checks the status first.
 */
export async function requireActiveCustomer(context: SubgraphContext): Promise<Customer> {
  const { customerId } = requireCustomer(context);
  const customer = await context.loaders.customerById.load(customerId);
  if (!customer || customer.status === 'DELETED') throw unauthenticated('This account no longer exists.');
  if (customer.status !== 'ACTIVE') throw forbidden('This account is disabled; contact the store for help.');
  return customer;
}

/**
 * A customer by global id, or null unless the caller may see it: the customer themself, or staff
 * of the request's store with the customers permission (row-level security keeps it in that store).
 */
export async function findVisibleCustomer(context: SubgraphContext, id: string): Promise<Customer | null> {
  const key = keyOrNull(id, 'Customer');
  if (!key) return null;
  const isSelf = context.viewer.kind === 'customer' && context.viewer.customerId === key;
  if (!isSelf && !(await hasPermission(context, 'MANAGE_CUSTOMERS'))) return null;
  return context.loaders.customerById.load(key);
}

/** A customer of the request's store by global id, for staff with the customers permission; null if there is none. */
export async function customerForStaff(context: SubgraphContext, id: string): Promise<Customer | null> {
  await requirePermission(context, 'MANAGE_CUSTOMERS');
  const key = keyOrNull(id, 'Customer');
  return key ? context.loaders.customerById.load(key) : null;
}

/** Whether the caller may read the staff-only fields of customers (notes). */
export function canReadStaffFields(context: SubgraphContext): Promise<boolean> {
  return hasPermission(context, 'MANAGE_CUSTOMERS');
}

/** One of a customer's default addresses, from the same batch as their address list. */
export async function defaultAddress(
  context: SubgraphContext,
  customer: Customer,
  use: 'shipping' | 'billing',
): Promise<CustomerAddress | null> {
  const defaultId = use === 'shipping' ? customer.defaultShippingAddressId : customer.defaultBillingAddressId;
  if (!defaultId) return null;
  const addresses = await context.loaders.addressesByCustomer.load(customer.id);
  return addresses.find((address) => address.id === defaultId) ?? null;
}
