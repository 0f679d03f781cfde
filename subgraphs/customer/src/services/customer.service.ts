import type { Customer, CustomerAddress, CustomerGroup, Prisma } from '@commerce/database';
import { escapeLike, hasPermission, keysetConnection, keyOrNull, requirePermission, type Connection, type PageArgs, type SortKey } from '@commerce/graphql-kit';
import type { SubgraphContext } from '../context.js';

export type CustomerSortKey = 'CREATED_AT' | 'NAME';

export interface CustomerFilter {
  query?: string | null;
  tag?: string | null;
  group?: CustomerGroup | null;
}

export interface CustomerListArgs extends PageArgs {
  filter?: CustomerFilter | null;
  sortKey?: CustomerSortKey | null;
  reverse?: boolean | null;
}

// The keyset helper orders by one column and the id; NAME therefore means last name, then id.
const SORT_KEYS: Record<CustomerSortKey, SortKey<Customer>> = {
  CREATED_AT: { field: 'createdAt', kind: 'date', value: (customer) => customer.createdAt },
  NAME: { field: 'lastName', kind: 'string', value: (customer) => customer.lastName },
};

/** Full name, or the email when no name is known. */
export function displayName(customer: Customer): string {
  return `${customer.firstName} ${customer.lastName}`.trim() || customer.email;
}

/** The calling customer, or null for anyone else. */
export async function currentCustomer(context: SubgraphContext): Promise<Customer | null> {
  if (context.viewer.kind !== 'customer') return null;
  return context.loaders.customerById.load(context.viewer.customerId);
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

/** A customer's default shipping address, from the same batch as their address list. */
export async function defaultAddress(context: SubgraphContext, customer: Customer): Promise<CustomerAddress | null> {
  const defaultId = customer.defaultShippingAddressId;
  if (!defaultId) return null;
  const addresses = await context.loaders.addressesByCustomer.load(customer.id);
  return addresses.find((address) => address.id === defaultId) ?? null;
}

// Prisma passes startsWith to LIKE as it is, so a typed % or _ would act as a wildcard.

function customerWhere(storeId: string, filter: CustomerFilter | null | undefined): Prisma.CustomerWhereInput {
  const where: Prisma.CustomerWhereInput = { storeId };
  const trimmed = filter?.query?.trim();
  if (trimmed) {
    const query = escapeLike(trimmed);
    where.OR = (['email', 'firstName', 'lastName'] as const).map((field) => ({ [field]: { startsWith: query, mode: 'insensitive' } }));
  }
  if (filter?.tag) where.tags = { has: filter.tag };
  if (filter?.group) where.group = filter.group;
  return where;
}

/** A page of the store's customers, for staff with the customers permission. */
export async function listCustomers(context: SubgraphContext, storeId: string, args: CustomerListArgs): Promise<Connection<Customer>> {
  await requirePermission(context, 'MANAGE_CUSTOMERS');
  const where = customerWhere(storeId, args.filter);
  return keysetConnection<Customer>({
    args,
    sort: SORT_KEYS[args.sortKey ?? 'CREATED_AT'],
    reverse: args.reverse ?? false,
    fetch: (page) => context.db.transaction((tx) => tx.customer.findMany({ where: { AND: [where, page.where] }, orderBy: page.orderBy, take: page.take })),
    count: () => context.db.transaction((tx) => tx.customer.count({ where })),
  });
}
