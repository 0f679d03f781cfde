import { Prisma, type Customer, type CustomerGroup, type CustomerStatus } from '@commerce/database';
import {
  escapeLike,
  readSortValue,
  requirePermission,
  sqlConnection,
  type Connection,
  type PageArgs,
  type SortValue,
  type SqlSortKey,
} from '@commerce/graphql-kit';
import type { SubgraphContext } from '../context.js';
import { phonePrefix } from './profile-rules.js';

export type CustomerSortKey = 'CREATED_AT' | 'NAME' | 'LAST_ORDER_AT' | 'TOTAL_SPENT' | 'ORDERS_COUNT';

export interface CustomerFilter {
  query?: string | null;
  tag?: string | null;
  group?: CustomerGroup | null;
  status?: CustomerStatus | null;
  createdAtMin?: Date | null;
  createdAtMax?: Date | null;
  hasOrders?: boolean | null;
}

export interface CustomerListArgs extends PageArgs {
  filter?: CustomerFilter | null;
  sortKey?: CustomerSortKey | null;
  reverse?: boolean | null;
}

/** A customer with the value the list is ordered by (which may come from the order statistics). */
type ListedCustomer = Customer & { sortValue: SortValue };

interface SortColumn {
  sort: SqlSortKey<ListedCustomer>;
  usesOrderStats: boolean;
}

const sortValue = (customer: ListedCustomer) => customer.sortValue;
const ID = Prisma.sql`c."id"`;

// Statistics are kept by the order subgraph in CustomerOrderStats; a customer without a row there
// has no orders: 0 orders, 0 spent, and a last order at the epoch (before every real one).
// Cursor tags of CREATED_AT and NAME are the column names, as before this list joined anything.
// The SQL expressions are over "Customer" c and "CustomerOrderStats" s.
const SORTS: Record<CustomerSortKey, SortColumn> = {
  CREATED_AT: {
    sort: { field: 'createdAt', kind: 'date', value: sortValue, sql: { value: Prisma.sql`c."createdAt"`, id: ID } },
    usesOrderStats: false,
  },
  NAME: {
    sort: { field: 'lastName', kind: 'string', value: sortValue, sql: { value: Prisma.sql`c."lastName"`, id: ID } },
    usesOrderStats: false,
  },
  LAST_ORDER_AT: {
    sort: {
      field: 'lastOrderAt',
      kind: 'date',
      value: sortValue,
      sql: { value: Prisma.sql`COALESCE(s."lastOrderAt", 'epoch'::timestamptz)`, id: ID },
    },
    usesOrderStats: true,
  },
  TOTAL_SPENT: {
    sort: {
      field: 'totalSpent',
      kind: 'decimal',
      value: sortValue,
      sql: { value: Prisma.sql`COALESCE(s."totalSpent", 0)`, id: ID },
    },
    usesOrderStats: true,
  },
  ORDERS_COUNT: {
    sort: {
      field: 'ordersCount',
      kind: 'number',
      value: sortValue,
      sql: { value: Prisma.sql`COALESCE(s."ordersCount", 0)`, id: ID },
    },
    usesOrderStats: true,
  },
};

/** The filter as SQL conditions over "Customer" c (and "CustomerOrderStats" s for hasOrders). */
function filterConditions(storeId: string, filter: CustomerFilter | null | undefined): Prisma.Sql[] {
  const conditions = [Prisma.sql`c."storeId" = ${storeId}::uuid`];
  const query = filter?.query?.trim();
  if (query) {
    // Prefixes match, ignoring case; typed % and _ are plain characters.
    const pattern = `${escapeLike(query)}%`;
    const matches = [
      Prisma.sql`c."email" ILIKE ${pattern}`,
      Prisma.sql`c."firstName" ILIKE ${pattern}`,
      Prisma.sql`c."lastName" ILIKE ${pattern}`,
      Prisma.sql`(c."firstName" || ' ' || c."lastName") ILIKE ${pattern}`,
    ];
    const phone = phonePrefix(query);
    // Phones are stored as +<digits>: "+49 30", "4930" and "(49) 30" all find +4930….
    if (phone) matches.push(Prisma.sql`c."phone" LIKE ${`${phone.startsWith('+') ? phone : `+${phone}`}%`}`);
    conditions.push(Prisma.sql`(${Prisma.join(matches, ' OR ')})`);
  }
  if (filter?.tag) conditions.push(Prisma.sql`${filter.tag} = ANY(c."tags")`);
  if (filter?.group) conditions.push(Prisma.sql`c."group" = ${filter.group}::"CustomerGroup"`);
  if (filter?.status) conditions.push(Prisma.sql`c."status" = ${filter.status}::"CustomerStatus"`);
  if (filter?.createdAtMin)
    conditions.push(Prisma.sql`c."createdAt" >= ${filter.createdAtMin.toISOString()}::timestamptz`);
  if (filter?.createdAtMax)
    conditions.push(Prisma.sql`c."createdAt" < ${filter.createdAtMax.toISOString()}::timestamptz`);
  if (filter?.hasOrders != null)
    conditions.push(
      filter.hasOrders ? Prisma.sql`COALESCE(s."ordersCount", 0) > 0` : Prisma.sql`COALESCE(s."ordersCount", 0) = 0`,
    );
  return conditions;
}

function fromClause(joinStats: boolean): Prisma.Sql {
  return joinStats
    ? Prisma.sql`"Customer" c LEFT JOIN "CustomerOrderStats" s ON s."customerId" = c."id" AND s."storeId" = c."storeId"`
    : Prisma.sql`"Customer" c`;
}

/**
 * A page of the store's customers, for staff with the customers permission. Sorting by order
 * statistics joins CustomerOrderStats, so the page is one keyset query (value, id) whatever the
 * key, and the full rows follow in a second statement of the same transaction.
 */
export async function listCustomers(
  context: SubgraphContext,
  storeId: string,
  args: CustomerListArgs,
): Promise<Connection<Customer>> {
  await requirePermission(context, 'MANAGE_CUSTOMERS');
  const column = SORTS[args.sortKey ?? 'CREATED_AT'];
  const reverse = args.reverse ?? false;
  const joinStats = column.usesOrderStats || args.filter?.hasOrders != null;
  const conditions = filterConditions(storeId, args.filter);
  const { sort } = column;

  return sqlConnection({
    args,
    sort,
    reverse,
    fetch: (keyset) =>
      context.db.transaction(async (tx) => {
        const keys = await tx.$queryRaw<{ id: string; sortValue: unknown }[]>`
          SELECT c."id"::text AS "id", ${sort.sql.value} AS "sortValue"
          FROM ${fromClause(joinStats)}
          WHERE ${Prisma.join(conditions, ' AND ')} AND ${keyset.where}
          ORDER BY ${keyset.orderBy}
          LIMIT ${keyset.limit}`;
        if (keys.length === 0) return [];
        const rows = await tx.customer.findMany({ where: { storeId, id: { in: keys.map((key) => key.id) } } });
        const byId = new Map(rows.map((row) => [row.id, row]));
        return keys.flatMap((key) => {
          const row = byId.get(key.id);
          const value = readSortValue(sort.kind, key.sortValue);
          if (value === null)
            throw new Error(`Customers sorted by ${sort.field} got a sort value that is no ${sort.kind}.`);
          return row ? [{ ...row, sortValue: value }] : [];
        });
      }),
    count: async () => {
      const [result] = await context.db.transaction(
        (tx) =>
          tx.$queryRaw<
            { count: number }[]
          >`SELECT count(*)::int AS "count" FROM ${fromClause(joinStats)} WHERE ${Prisma.join(conditions, ' AND ')}`,
      );
      return result?.count ?? 0;
    },
  });
}
