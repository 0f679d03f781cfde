import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { Prisma } from '@commerce/database';
import {
  arrayConnection,
  DEFAULT_PAGE_SIZE,
  prismaConnection,
  prismaSortKey,
  readPage,
  type Connection,
  type PageArgs,
  type SortKey,
  type SortValue,
} from '../src/connection.js';

interface Row {
  id: string;
  value: SortValue;
}

const byValue = (kind: SortKey<Row>['kind'], descending = false): SortKey<Row> => ({
  field: 'value',
  kind,
  descending,
  value: (row) => row.value,
});

/** Rows with every value twice, so that ties are broken by the id. */
function rowsOf(values: SortValue[]): Row[] {
  return [...values, ...values].map((value) => ({ id: randomUUID(), value }));
}

const VALUES: Record<SortKey<Row>['kind'], SortValue[]> = {
  string: ['pear', 'apple', 'Zebra', 'fig', ''],
  number: [3, -1, 2.5, 0, 1e6],
  date: [
    new Date('2024-03-01T10:00:00.123Z'),
    new Date('2023-12-31T23:59:59.999Z'),
    new Date('2024-03-01T10:00:00.124Z'),
  ],
  decimal: [
    new Prisma.Decimal('10.50'),
    new Prisma.Decimal('-3'),
    new Prisma.Decimal('0.001'),
    new Prisma.Decimal('10.5'),
  ],
};

function errorOf(run: () => unknown): { code: unknown; field: unknown } {
  try {
    run();
  } catch (error) {
    if (error instanceof GraphQLError) return { code: error.extensions.code, field: error.extensions.field };
    throw error;
  }
  throw new Error('No error was thrown.');
}

/** Ids of every row, walking pages of two forwards with `after`, then backwards with `before`. */
function walk(rows: Row[], sort: SortKey<Row>, reverse: boolean): { forwards: string[]; backwards: string[] } {
  const forwards: string[] = [];
  let page: Connection<Row> = arrayConnection(rows, { first: 2 }, sort, reverse);
  for (;;) {
    forwards.push(...page.nodes.map((row) => row.id));
    if (!page.pageInfo.hasNextPage) break;
    page = arrayConnection(rows, { first: 2, after: page.pageInfo.endCursor }, sort, reverse);
    expect(page.pageInfo.hasPreviousPage).toBe(true);
  }
  const backwards: string[] = [];
  page = arrayConnection(rows, { last: 2 }, sort, reverse);
  for (;;) {
    backwards.unshift(...page.nodes.map((row) => row.id));
    if (!page.pageInfo.hasPreviousPage) break;
    page = arrayConnection(rows, { last: 2, before: page.pageInfo.startCursor }, sort, reverse);
    expect(page.pageInfo.hasNextPage).toBe(true);
  }
  return { forwards, backwards };
}

function expectedOrder(rows: Row[], sort: SortKey<Row>, reverse: boolean): string[] {
  const key = (row: Row) =>
    row.value instanceof Date
      ? row.value.getTime()
      : row.value instanceof Prisma.Decimal
        ? row.value.toNumber()
        : row.value;
  const ascending = [...rows].sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    return x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : 1;
  });
  return reverse !== (sort.descending ?? false)
    ? ascending.reverse().map((row) => row.id)
    : ascending.map((row) => row.id);
}

describe('page arguments', () => {
  const sort = byValue('number');

  it('default to the first 20 rows, and first: 0 is a page without rows', () => {
    expect(readPage({}, sort)).toEqual({ forward: true, size: DEFAULT_PAGE_SIZE, cursor: null });
    expect(arrayConnection(rowsOf([1, 2, 3]), { first: 0 }, sort)).toMatchObject({
      edges: [],
      nodes: [],
      pageInfo: { startCursor: null, endCursor: null },
    });
  });

  it('that mix directions or leave 0..100 are BAD_USER_INPUT naming the argument to change', () => {
    const cursor = arrayConnection(rowsOf([1]), { first: 1 }, sort).pageInfo.endCursor;
    const cases: [PageArgs, string][] = [
      [{ first: 1, last: 1 }, 'first'],
      [{ first: 1, before: cursor }, 'before'],
      [{ last: 1, after: cursor }, 'after'],
      [{ first: 101 }, 'first'],
      [{ first: -1 }, 'first'],
      [{ first: 1.5 }, 'first'],
      [{ last: 101 }, 'last'],
    ];
    for (const [args, argument] of cases)
      expect(
        errorOf(() => readPage(args, sort)),
        JSON.stringify(args),
      ).toEqual({ code: 'BAD_USER_INPUT', field: [argument] });
  });

  it('with a cursor that is not one of this sort key are BAD_USER_INPUT', () => {
    const rows = rowsOf([1, 2]);
    const numberCursor = arrayConnection(rows, { first: 1 }, sort).pageInfo.endCursor;
    const forge = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    const cases: [PageArgs, string][] = [
      [{ after: 'not-a-cursor' }, 'after'],
      [{ before: 'not-a-cursor' }, 'before'],
      [{ after: forge(['value', 1, 'not-a-uuid']) }, 'after'],
      [{ after: forge(['value', '1', randomUUID()]) }, 'after'],
      [{ after: forge(['other', 1, randomUUID()]) }, 'after'],
      [{ after: forge(['value', 1]) }, 'after'],
    ];
    for (const [args, argument] of cases)
      expect(
        errorOf(() => readPage(args, sort)),
        JSON.stringify(args),
      ).toEqual({ code: 'BAD_USER_INPUT', field: [argument] });
    // The same field of another kind: a number is no date.
    expect(errorOf(() => readPage({ after: numberCursor }, byValue('date')))).toEqual({
      code: 'BAD_USER_INPUT',
      field: ['after'],
    });
  });
});

describe('cursors', () => {
  for (const kind of ['string', 'number', 'date', 'decimal'] as const) {
    it(`of ${kind} values page forwards and backwards through every row once, in order, either way round`, () => {
      const rows = rowsOf(VALUES[kind]);
      for (const descending of [false, true]) {
        for (const reverse of [false, true]) {
          const sort = byValue(kind, descending);
          const { forwards, backwards } = walk(rows, sort, reverse);
          const expected = expectedOrder(rows, sort, reverse);
          expect(forwards, `descending=${descending} reverse=${reverse}`).toEqual(expected);
          expect(backwards, `descending=${descending} reverse=${reverse}`).toEqual(expected);
        }
      }
    });
  }
});

describe('a Prisma connection', () => {
  interface Movement {
    id: string;
    createdAt: Date;
  }
  const NEWEST_FIRST = prismaSortKey({
    field: 'createdAt',
    kind: 'date',
    descending: true,
    value: (movement: Movement) => movement.createdAt,
  });
  const movement = { id: randomUUID(), createdAt: new Date('2024-05-01T00:00:00.000Z') };

  it('asks for the rows beyond the cursor in keyset order, one more than the page, with its own filter', async () => {
    const asked: unknown[] = [];
    const list = (args: PageArgs, reverse = false) =>
      prismaConnection({
        args,
        sort: NEWEST_FIRST,
        reverse,
        fetch: async (page) => {
          asked.push(page.findManyArgs({ variantId: 'v' }));
          return [movement];
        },
        count: async () => 1,
      });
    const first = await list({ first: 5 });
    await list({ first: 5, after: first.pageInfo.endCursor });
    await list({ last: 5, before: first.pageInfo.endCursor });
    await list({ first: 5, after: first.pageInfo.endCursor }, true);
    await list({ first: 0 });
    const newer = {
      OR: [{ createdAt: { gt: movement.createdAt } }, { createdAt: movement.createdAt, id: { gt: movement.id } }],
    };
    const older = {
      OR: [{ createdAt: { lt: movement.createdAt } }, { createdAt: movement.createdAt, id: { lt: movement.id } }],
    };
    expect(asked).toEqual([
      { where: { AND: [{ variantId: 'v' }] }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 6 },
      { where: { AND: [{ variantId: 'v' }, older] }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: 6 },
      { where: { AND: [{ variantId: 'v' }, newer] }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 6 },
      { where: { AND: [{ variantId: 'v' }, newer] }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: 6 },
    ]);
    expect(first).toMatchObject({ nodes: [movement], pageInfo: { hasNextPage: false, hasPreviousPage: false } });
  });
});
