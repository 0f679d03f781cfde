// Every connection of the graph pages the same way: `readPage` reads the arguments, cursors are
// [sort field, sort value, row id] in base64url JSON, and `assemble` builds the edges and pageInfo.
// Three forms fetch the rows: `prismaConnection` (a Prisma findMany), `sqlConnection` (a raw
// query) and `arrayConnection` (rows already loaded in one batch); a batched loader that pages
// with raw SQL uses `readPage` and `keysetSql` itself.
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

/** The kinds of value a connection can be ordered by, and their types in rows and cursors. */
export interface SortKinds {
  string: string;
  number: number;
  date: Date;
  decimal: Prisma.Decimal;
}

export type SortKind = keyof SortKinds;
export type SortValue = SortKinds[SortKind];

/** The column a connection is ordered by; the row id breaks ties so the order is total and stable. */
export interface SortKey<Row> {
  /** The cursor tag: the Prisma field, or a name for an SQL expression. */
  field: string;
  kind: SortKind;
  value(row: Row): SortValue;
  /** Whether the natural order is descending (e.g. best match or newest first); `reverse` flips it, ties follow it. */
  descending?: boolean;
}

/** A sort key of connections fetched with raw SQL. */
export interface SqlSortKey<Row> extends SortKey<Row> {
  /** The sort value and the row id as SQL expressions of the query. The value must never be NULL. */
  sql: { value: Prisma.Sql; id: Prisma.Sql };
}

type SortDirection = 'asc' | 'desc';
type Comparison<Value> = { gt: Value } | { lt: Value };

/** The rows beyond a cursor as a Prisma filter: a sort value beyond the cursor's, or the same value and an id beyond. */
export type PrismaKeysetWhere<Field extends string, Value> = {
  OR: [Partial<Record<Field, Comparison<Value>>>, Partial<Record<Field, Value>> & { id: Comparison<string> }];
};

/** The keyset order as Prisma orderBy elements: the sort field, then the id. */
export type PrismaKeysetOrderBy<Field extends string> = Partial<Record<Field, SortDirection>> | { id: SortDirection };

/**
 * A sort key of connections fetched with Prisma (made by `prismaSortKey`). `Where` and `OrderBy`
 * are the types of its filter and order: a model's WhereInput and OrderByWithRelationInput accept
 * them only when the field is the model's and its values have the field's type.
 */
export interface PrismaSortKey<Row, Where, OrderBy> extends SortKey<Row> {
  prisma: {
    /** The rows beyond a cursor (one `readPage` read with this key) in the given direction. */
    beyond(cursor: Cursor, ascending: boolean): Where;
    orderBy(direction: SortDirection): OrderBy[];
  };
}

/** A sort key of a value in its kind's type, as `prismaSortKey` takes it. */
export interface TypedSortKey<Row, Field extends string, Kind extends SortKind> extends SortKey<Row> {
  field: Field;
  kind: Kind;
  value(row: Row): SortKinds[Kind];
}

// A computed key alone would widen to an index signature; assigning it keeps the field's name in the type.
function entry<Field extends string, Value>(field: Field, value: Value): Partial<Record<Field, Value>> {
  const record: Partial<Record<Field, Value>> = {};
  record[field] = value;
  return record;
}

/** A sort key over a field of a Prisma model, with its keyset filter and order typed by the field. */
export function prismaSortKey<Row, Field extends string, Kind extends SortKind>(
  key: TypedSortKey<Row, Field, Kind>,
): PrismaSortKey<Row, PrismaKeysetWhere<Field, SortKinds[Kind]>, PrismaKeysetOrderBy<Field>> {
  return {
    ...key,
    prisma: {
      beyond(cursor, ascending) {
        // Read again in this key's kind: so the value has the field's type, and keys of one model
        // with different kinds (chosen by a sortKey argument) still share the model's filter type.
        const value = readSortValue(key.kind, cursor.value);
        if (value === null) throw new Error(`A cursor of "${key.field}" holds no ${key.kind}.`);
        const id = ascending ? { gt: cursor.id } : { lt: cursor.id };
        return {
          OR: [entry(key.field, ascending ? { gt: value } : { lt: value }), { ...entry(key.field, value), id }],
        };
      },
      orderBy: (direction) => [entry(key.field, direction), { id: direction }],
    },
  };
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

/** The position a cursor names: a sort value and the row id. */
export interface Cursor {
  value: SortValue;
  id: string;
}

/** A page as the arguments ask for it: its direction, its size and the cursor it starts beyond. */
export interface Page {
  forward: boolean;
  size: number;
  cursor: Cursor | null;
}

const SORT_VALUE_READERS: { [Kind in SortKind]: (raw: unknown) => SortKinds[Kind] | null } = {
  string: (raw) => (typeof raw === 'string' ? raw : null),
  number: (raw) => (typeof raw === 'number' && Number.isFinite(raw) ? raw : null),
  date: (raw) => {
    if (raw instanceof Date) return raw;
    return typeof raw === 'string' && !Number.isNaN(Date.parse(raw)) ? new Date(raw) : null;
  },
  decimal: (raw) => {
    if (raw instanceof Prisma.Decimal) return raw;
    return typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw) ? new Prisma.Decimal(raw) : null;
  },
};

/** A sort value of a kind, from a cursor's JSON or a raw query's column; null when it is not one. */
export function readSortValue<Kind extends SortKind>(kind: Kind, raw: unknown): SortKinds[Kind] | null {
  return SORT_VALUE_READERS[kind](raw);
}

function encodeCursor<Row extends { id: string }>(sort: SortKey<Row>, row: Row): string {
  const value = sort.value(row);
  const plain = value instanceof Date ? value.toISOString() : value instanceof Prisma.Decimal ? value.toFixed() : value;
  return Buffer.from(JSON.stringify([sort.field, plain, row.id])).toString('base64url');
}

function decodeCursor<Row>(cursor: string, sort: SortKey<Row>, argument: string): Cursor {
  const invalid = () => badUserInput(`"${argument}" is not a cursor of this connection and order.`, [argument]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== sort.field) throw invalid();
  const [, raw, id]: unknown[] = parsed;
  const value = readSortValue(sort.kind, raw);
  if (value === null || typeof id !== 'string' || !isUuid(id)) throw invalid();
  return { value, id };
}

/** Validates pagination arguments: one direction, a size within 0..MAX_PAGE_SIZE, a cursor of this sort key. */
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
  return { forward, size, cursor: raw ? decodeCursor(raw, sort, forward ? 'after' : 'before') : null };
}

/** Whether a page asks for no rows at all (size 0 from the start), so no query is needed. */
export function isEmptyPage(page: Page): boolean {
  return page.size === 0 && page.cursor === null;
}

/** Whether the rows of a page are fetched in ascending order of the sort key. */
function fetchesAscending<Row>(page: Page, sort: SortKey<Row>, reverse: boolean): boolean {
  return (page.forward !== reverse) !== (sort.descending ?? false);
}

/** The cursor comparison, order and limit of a page as SQL fragments. */
export interface KeysetSql {
  /** `TRUE` or the row-value comparison with the cursor: AND it with the query's filter. */
  where: Prisma.Sql;
  /** The ORDER BY list (without the keywords). */
  orderBy: Prisma.Sql;
  /** The page size and one more row, which tells whether another page follows. */
  limit: number;
}

// Casts that make PostgreSQL compare a cursor value with the sort expression as the same type.
const SQL_CASTS: Record<SortKind, Prisma.Sql> = {
  string: Prisma.raw('::text'),
  number: Prisma.raw('::double precision'),
  date: Prisma.raw('::timestamptz'),
  decimal: Prisma.raw('::numeric'),
};

/** A page's keyset as SQL with the cursor as parameters, for a raw query (or a batch of them). */
export function keysetSql<Row>(page: Page, sort: SqlSortKey<Row>, reverse = false): KeysetSql {
  const ascending = fetchesAscending(page, sort, reverse);
  const { value, id } = sort.sql;
  const direction = Prisma.raw(ascending ? 'ASC' : 'DESC');
  const where = page.cursor
    ? Prisma.sql`(${value}, ${id}) ${Prisma.raw(ascending ? '>' : '<')} (${page.cursor.value}${SQL_CASTS[sort.kind]}, ${page.cursor.id}::uuid)`
    : Prisma.sql`TRUE`;
  return { where, orderBy: Prisma.sql`${value} ${direction}, ${id} ${direction}`, limit: page.size + 1 };
}

/** The rows of a page as a Prisma query fetches them. */
export interface PrismaPage<Where, OrderBy> {
  /** findMany arguments: `filter` ANDed with the cursor's condition, the keyset order, the page size and one more row. */
  findManyArgs<Filter>(filter: Filter): { where: { AND: (Filter | Where)[] }; orderBy: OrderBy[]; take: number };
}

/** Builds a connection from the rows fetched for a page (one more than its size when another page follows). */
function assemble<Row extends { id: string }>(
  fetched: Row[],
  page: Page,
  sort: SortKey<Row>,
  totalCount: () => Promise<number> | number,
): Connection<Row> {
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

export interface ConnectionOptions<Row, Sort, Query> {
  args: PageArgs;
  sort: Sort;
  /** The sort key's order turned round (descending, or ascending for a `descending` key). */
  reverse?: boolean;
  /** Runs the page's query; the connection's own filter goes in with it. */
  fetch(query: Query): Promise<Row[]>;
  count(): Promise<number>;
}

async function pagedConnection<Row extends { id: string }>(
  options: ConnectionOptions<Row, SortKey<Row>, unknown>,
  fetch: (page: Page, ascending: boolean) => Promise<Row[]>,
): Promise<Connection<Row>> {
  const page = readPage(options.args, options.sort);
  const fetched = isEmptyPage(page)
    ? []
    : await fetch(page, fetchesAscending(page, options.sort, options.reverse ?? false));
  let counted: Promise<number> | undefined;
  return assemble(fetched, page, options.sort, () => (counted ??= options.count()));
}

/** A keyset-paginated connection over a Prisma model: never offsets, one findMany per page. */
export function prismaConnection<Row extends { id: string }, Where, OrderBy>(
  options: ConnectionOptions<Row, PrismaSortKey<Row, Where, OrderBy>, PrismaPage<Where, OrderBy>>,
): Promise<Connection<Row>> {
  const { prisma } = options.sort;
  return pagedConnection(options, (page, ascending) =>
    options.fetch({
      findManyArgs: (filter) => ({
        where: { AND: page.cursor ? [filter, prisma.beyond(page.cursor, ascending)] : [filter] },
        orderBy: prisma.orderBy(ascending ? 'asc' : 'desc'),
        take: page.size + 1,
      }),
    }),
  );
}

/** A keyset-paginated connection over a raw query: never offsets, one statement per page. */
export function sqlConnection<Row extends { id: string }>(
  options: ConnectionOptions<Row, SqlSortKey<Row>, KeysetSql>,
): Promise<Connection<Row>> {
  return pagedConnection(options, (page) => options.fetch(keysetSql(page, options.sort, options.reverse ?? false)));
}

function compare(a: SortValue, b: SortValue): number {
  if (a instanceof Prisma.Decimal && b instanceof Prisma.Decimal) return a.comparedTo(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/**
 * The same connection over rows already in memory (a child list loaded in one batch for many
 * parents, or the pages a batched loader fetched), with the same cursors as the keyset forms.
 */
export function arrayConnection<Row extends { id: string }>(
  all: readonly Row[],
  args: PageArgs,
  sort: SortKey<Row>,
  reverse = false,
): Connection<Row> {
  const page = readPage(args, sort);
  const sign = reverse !== (sort.descending ?? false) ? -1 : 1;
  const ordered = [...all].sort(
    (a, b) => sign * (compare(sort.value(a), sort.value(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  );
  const position = (row: Row) => {
    if (!page.cursor) return 0;
    return (
      sign *
      (compare(sort.value(row), page.cursor.value) || (row.id < page.cursor.id ? -1 : row.id > page.cursor.id ? 1 : 0))
    );
  };
  const fetched = page.forward
    ? ordered.filter((row) => !page.cursor || position(row) > 0).slice(0, page.size + 1)
    : ordered
        .filter((row) => !page.cursor || position(row) < 0)
        .reverse()
        .slice(0, page.size + 1);
  return assemble(fetched, page, sort, () => all.length);
}
