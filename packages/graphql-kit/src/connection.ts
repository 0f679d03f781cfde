import { isUuid, Prisma } from '@commerce/database';
import { badUserInput } from './errors.js';

/** Relay pagination arguments. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

type SortValue = string | number | Date | Prisma.Decimal;
type SortKind = 'string' | 'number' | 'date' | 'decimal';

/** The column a connection is ordered by; the row id breaks ties so the order is total and stable. */
export interface SortKey<Row> {
  /** Name of the Prisma field (and cursor tag). */
  field: string;
  kind: SortKind;
  value(row: Row): SortValue;
  /** Whether the natural order is descending (e.g. best match or newest first); `reverse` flips it, ties follow it. */
  descending?: boolean;
  /**
   * For connections fetched with raw SQL: the sort value and the row id as SQL expressions, e.g. a
   * search rank computed in the query. The value must never be NULL.
   */
  sql?: { value: Prisma.Sql; id: Prisma.Sql };
}

export interface Edge<Row> {
  node: Row;
  cursor: string;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** A Relay connection; `totalCount` is a thunk so it is computed only when selected. */
export interface Connection<Row> {
  edges: Edge<Row>[];
  nodes: Row[];
  pageInfo: PageInfo;
  totalCount: () => Promise<number> | number;
}

interface Cursor {
  value: SortValue;
  id: string;
}

interface Page {
  forward: boolean;
  size: number;
  cursor: Cursor | null;
}

function encodeCursor<Row extends { id: string }>(sort: SortKey<Row>, row: Row): string {
  const value = sort.value(row);
  const plain = value instanceof Date ? value.toISOString() : value instanceof Prisma.Decimal ? value.toFixed() : value;
  return Buffer.from(JSON.stringify([sort.field, plain, row.id])).toString('base64url');
}

function decodeCursor(cursor: string, sort: SortKey<unknown>, argument: string): Cursor {
  const invalid = () => badUserInput(`"${argument}" is not a cursor of this connection and order.`, [argument]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== sort.field || typeof parsed[2] !== 'string' || !isUuid(parsed[2])) throw invalid();
  const raw: unknown = parsed[1];
  switch (sort.kind) {
    case 'number':
      if (typeof raw !== 'number') throw invalid();
      return { value: raw, id: parsed[2] };
    case 'date':
      if (typeof raw !== 'string' || Number.isNaN(Date.parse(raw))) throw invalid();
      return { value: new Date(raw), id: parsed[2] };
    case 'decimal':
      if (typeof raw !== 'string' || !/^-?\d+(\.\d+)?$/.test(raw)) throw invalid();
      return { value: new Prisma.Decimal(raw), id: parsed[2] };
    default:
      if (typeof raw !== 'string') throw invalid();
      return { value: raw, id: parsed[2] };
  }
}

/** Validates pagination arguments: one direction, a size within 1..MAX_PAGE_SIZE, a well-formed cursor. */
export function readPage<Row>(args: PageArgs, sort: SortKey<Row>): Page {
  const { first, after, last, before } = args;
  if (first != null && last != null) throw badUserInput('Pass either "first" or "last", not both.', ['first']);
  if ((first != null && before != null) || (last != null && after != null)) {
    throw badUserInput('Use "first" with "after" and "last" with "before".', [first != null ? 'before' : 'after']);
  }
  const forward = last == null && before == null;
  const size = (forward ? first : last) ?? DEFAULT_PAGE_SIZE;
  const argument = forward ? 'first' : 'last';
  if (!Number.isInteger(size) || size < 0 || size > MAX_PAGE_SIZE) {
    throw badUserInput(`"${argument}" must be between 0 and ${MAX_PAGE_SIZE}.`, [argument]);
  }
  const raw = forward ? after : before;
  return { forward, size, cursor: raw ? decodeCursor(raw, sort as SortKey<unknown>, forward ? 'after' : 'before') : null };
}

/** The cursor comparison and order of a page as SQL fragments, for a sort key with `sql`. */
export interface KeysetSql {
  /** `TRUE` or the row-value comparison with the cursor: AND it with the query's filter. */
  where: Prisma.Sql;
  /** The ORDER BY list (without the keywords). */
  orderBy: Prisma.Sql;
}

// Casts that make PostgreSQL compare a cursor value with the sort expression as the same type.
const SQL_CASTS: Record<SortKind, Prisma.Sql> = {
  string: Prisma.raw('::text'),
  number: Prisma.raw('::double precision'),
  date: Prisma.raw('::timestamptz'),
  decimal: Prisma.raw('::numeric'),
};

function keysetSql<Row>(page: Page, sort: SortKey<Row>, ascending: boolean): KeysetSql | undefined {
  if (!sort.sql) return undefined;
  const { value, id } = sort.sql;
  const direction = Prisma.raw(ascending ? 'ASC' : 'DESC');
  const where = page.cursor
    ? Prisma.sql`(${value}, ${id}) ${Prisma.raw(ascending ? '>' : '<')} (${page.cursor.value}${SQL_CASTS[sort.kind]}, ${page.cursor.id}::uuid)`
    : Prisma.sql`TRUE`;
  return { where, orderBy: Prisma.sql`${value} ${direction}, ${id} ${direction}` };
}

/** Fetch order and cursor comparison for a page, in Prisma's terms (and as SQL when the sort key has `sql`). */
export function keysetQuery<Row>(page: Page, sort: SortKey<Row>, reverse: boolean) {
  const ascending = (page.forward !== reverse) !== (sort.descending ?? false);
  const direction = ascending ? ('asc' as const) : ('desc' as const);
  const operator = ascending ? 'gt' : 'lt';
  const where = page.cursor
    ? { OR: [{ [sort.field]: { [operator]: page.cursor.value } }, { [sort.field]: page.cursor.value, id: { [operator]: page.cursor.id } }] }
    : {};
  return { where, orderBy: [{ [sort.field]: direction }, { id: direction }], take: page.size + 1, sql: keysetSql(page, sort, ascending) };
}

function assemble<Row extends { id: string }>(fetched: Row[], page: Page, sort: SortKey<Row>, totalCount: () => Promise<number> | number): Connection<Row> {
  const more = fetched.length > page.size;
  const rows = fetched.slice(0, page.size);
  if (!page.forward) rows.reverse();
  const edges = rows.map((node) => ({ node, cursor: encodeCursor(sort, node) }));
  return {
    edges,
    nodes: rows,
    pageInfo: {
      hasNextPage: page.forward ? more : page.cursor !== null,
      hasPreviousPage: page.forward ? page.cursor !== null : more,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}

export interface KeysetOptions<Row> {
  args: PageArgs;
  sort: SortKey<Row>;
  /** The sort key's order turned round (descending, or ascending for a `descending` key). */
  reverse?: boolean;
  /**
   * Runs the query; merge `where` with the connection's filter (AND), use `orderBy` and `take` as
   * given. A sort key with `sql` also gets `sql`, the same comparison and order for a raw query.
   */
  fetch(query: { where: object; orderBy: object[]; take: number; sql?: KeysetSql }): Promise<Row[]>;
  count(): Promise<number>;
}

/** A keyset-paginated connection over a database query: never offsets, one statement per page. */
export async function keysetConnection<Row extends { id: string }>(options: KeysetOptions<Row>): Promise<Connection<Row>> {
  const page = readPage(options.args, options.sort);
  const fetched = page.size === 0 && !page.cursor ? [] : await options.fetch(keysetQuery(page, options.sort, options.reverse ?? false));
  let counted: Promise<number> | undefined;
  return assemble(fetched, page, options.sort, () => (counted ??= options.count()));
}

function compare(a: SortValue, b: SortValue): number {
  if (a instanceof Prisma.Decimal && b instanceof Prisma.Decimal) return a.comparedTo(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/**
 * The same connection over rows already in memory (a child list loaded in one batch for many
 * parents), with the same cursors as `keysetConnection`.
 */
export function arrayConnection<Row extends { id: string }>(all: readonly Row[], args: PageArgs, sort: SortKey<Row>, reverse = false): Connection<Row> {
  const page = readPage(args, sort);
  const sign = reverse !== (sort.descending ?? false) ? -1 : 1;
  const ordered = [...all].sort((a, b) => sign * (compare(sort.value(a), sort.value(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  const position = (row: Row) => {
    if (!page.cursor) return 0;
    return sign * (compare(sort.value(row), page.cursor.value) || (row.id < page.cursor.id ? -1 : row.id > page.cursor.id ? 1 : 0));
  };
  const fetched = page.forward
    ? ordered.filter((row) => !page.cursor || position(row) > 0).slice(0, page.size + 1)
    : ordered.filter((row) => !page.cursor || position(row) < 0).reverse().slice(0, page.size + 1);
  return assemble(fetched, page, sort, () => all.length);
}
