import { Prisma, type Product, type RawSql } from '@commerce/database';
import { badUserInput, keyOf, type KeysetSql, type SqlSortKey } from '@commerce/graphql-kit';
import type { ProductFilter, ProductSortKeys } from '../__generated__/resolvers-types.js';
import type { MetafieldCondition } from './product-metafield-filter.js';
import { includeColumns, type ProductIncludes, type ProductWithIncludes } from './product-includes.js';

/** A product as a listing returns it; with a search query, also its rank. */
export type ListedProduct = Product & { searchRank?: number };

/** Every column of a product row (the search vector excepted), qualified with the alias p. */
export const PRODUCT_COLUMNS = Prisma.raw(
  Object.values(Prisma.ProductScalarFieldEnum)
    .map((column) => `p."${column}"`)
    .join(', '),
);

const ID = Prisma.sql`p."id"`;

// The columns behind the sort keys of `Store.products`, each with an index (storeId, column, id).
const COLUMN_SORT_KEYS: Record<Exclude<ProductSortKeys, 'RELEVANCE'>, SqlSortKey<ListedProduct>> = {
  TITLE: {
    field: 'title',
    kind: 'string',
    value: (product) => product.title,
    sql: { value: Prisma.sql`p."title"`, id: ID },
  },
  PRICE: {
    field: 'minPrice',
    kind: 'decimal',
    value: (product) => product.minPrice,
    sql: { value: Prisma.sql`p."minPrice"`, id: ID },
  },
  CREATED_AT: {
    field: 'createdAt',
    kind: 'date',
    value: (product) => product.createdAt,
    sql: { value: Prisma.sql`p."createdAt"`, id: ID },
  },
  UPDATED_AT: {
    field: 'updatedAt',
    kind: 'date',
    value: (product) => product.updatedAt,
    sql: { value: Prisma.sql`p."updatedAt"`, id: ID },
  },
};

// ts_rank is a real; as a double precision it survives the trip through a JSON cursor exactly, so
// the cursor's rank equals the row's and ties fall through to the id.
const relevance = (rank: Prisma.Sql): SqlSortKey<ListedProduct> => ({
  field: 'relevance',
  kind: 'number',
  descending: true,
  value: (product) => product.searchRank ?? 0,
  sql: { value: rank, id: ID },
});

/** What a listing shows: which products of which store, for whom. */
export interface ProductQueryOptions {
  storeId: string;
  filter: ProductFilter | null | undefined;
  sortKey: ProductSortKeys;
  /** Whether the caller sees DRAFT and ARCHIVED products (staff); storefronts see ACTIVE ones only. */
  seesUnpublished: boolean;
  /** Only products in this category (Category.products). */
  categoryKey?: string;
  /** Only products with this custom-field value (filter.metafield, resolved to its definition). */
  metafield?: MetafieldCondition | null;
  /** The request's language when it is not the store's default one: search matches its translations too. */
  language: string | null;
}

/** A product listing as SQL: the sort key (with its SQL), and the query of a page and of the count. */
export interface ProductQuery {
  sort: SqlSortKey<ListedProduct>;
  /** A page of products, with the related rows `includes` names as JSON columns. */
  page(tx: RawSql, keyset: KeysetSql, includes: ProductIncludes): Promise<ProductWithIncludes<ListedProduct>[]>;
  count(tx: RawSql): Promise<number>;
}

/** The conditions of a listing's filter, as SQL over "Product" p. */
function conditions(options: ProductQueryOptions): Prisma.Sql[] {
  const { filter } = options;
  // Subqueries compare "storeId" with the store's id, not with p's: Citus prunes a table's shards
  // by that table's own conditions, so a correlated "storeId" can send the statement to every shard.
  const store = Prisma.sql`${options.storeId}::uuid`;
  const where = [Prisma.sql`p."storeId" = ${store}`];
  if (!options.seesUnpublished) where.push(Prisma.sql`p."status" = 'ACTIVE'`);
  if (filter?.status) where.push(Prisma.sql`p."status" = ${filter.status}::"ProductStatus"`);
  const categoryKeys = [
    options.categoryKey,
    filter?.categoryId == null ? undefined : keyOf(filter.categoryId, 'Category', ['filter', 'categoryId']),
  ];
  for (const categoryKey of categoryKeys) {
    if (categoryKey === undefined) continue;
    where.push(Prisma.sql`EXISTS (
      SELECT 1 FROM "ProductCategory" pc
      WHERE pc."storeId" = ${store} AND pc."categoryId" = ${categoryKey}::uuid AND pc."productId" = p."id")`);
  }
  if (filter?.priceMin != null || filter?.priceMax != null) {
    // One variant must be in range on both ends, not one variant above the minimum and another below the maximum.
    const bounds: Prisma.Sql[] = [];
    if (filter.priceMin != null) bounds.push(Prisma.sql`v."price" >= ${filter.priceMin}::numeric`);
    if (filter.priceMax != null) bounds.push(Prisma.sql`v."price" <= ${filter.priceMax}::numeric`);
    where.push(Prisma.sql`EXISTS (
      SELECT 1 FROM "ProductVariant" v
      WHERE v."storeId" = ${store} AND v."productId" = p."id" AND ${Prisma.join(bounds, ' AND ')})`);
  }
  if (filter?.available != null) {
    const sellable = Prisma.sql`EXISTS (
      SELECT 1 FROM "ProductVariant" v
      WHERE v."storeId" = ${store} AND v."productId" = p."id"
        AND (NOT v."trackInventory" OR v."allowOversell" OR EXISTS (
          SELECT 1 FROM "InventoryLevel" l
          WHERE l."storeId" = ${store} AND l."variantId" = v."id" AND l."available" > 0)))`;
    where.push(filter.available ? sellable : Prisma.sql`NOT ${sellable}`);
  }
  const tag = filter?.tag?.trim();
  if (tag) where.push(Prisma.sql`${tag} = ANY (p."tags")`);
  if (options.metafield) {
    // Served by the index ("storeId", "definitionId", "searchValue", "ownerId").
    where.push(Prisma.sql`EXISTS (
      SELECT 1 FROM "Metafield" mv
      WHERE mv."storeId" = ${store} AND mv."definitionId" = ${options.metafield.definitionId}::uuid
        AND mv."searchValue" = ${options.metafield.searchValue} AND mv."ownerId" = p."id")`);
  }
  return where;
}

/** The search text of a filter, or null when there is none to search for. */
function searchText(filter: ProductFilter | null | undefined): string | null {
  return filter?.query?.trim() || null;
}

/**
 * The SQL of a product listing. A search query joins the product with its text-search query (made
 * once per statement by app_prefix_tsquery) and keeps the products whose search document matches;
 * RELEVANCE orders by their rank and needs a query.
 */
export function productQuery(options: ProductQueryOptions): ProductQuery {
  const text = searchText(options.filter);
  if (options.sortKey === 'RELEVANCE' && text === null) {
    throw badUserInput('Sorting by RELEVANCE needs a search: pass filter.query, or choose another sortKey.', [
      'sortKey',
    ]);
  }
  const where = conditions(options);
  let from = Prisma.sql`"Product" p`;
  let rankValue = Prisma.sql`ts_rank(p."searchVector", search.query)::double precision`;
  if (text !== null) {
    const search = translatedSearch(options, text);
    from = search.from;
    where.push(search.matches);
    rankValue = search.rank;
  }
  const filter = Prisma.join(where, ' AND ');
  const sort = options.sortKey === 'RELEVANCE' ? relevance(rankValue) : COLUMN_SORT_KEYS[options.sortKey];
  const rank = text === null ? Prisma.empty : Prisma.sql`, ${rankValue} AS "searchRank"`;
  return {
    sort,
    // Related rows are scalar subqueries of the select list: PostgreSQL evaluates them after the
    // LIMIT, for the rows of the page only.
    page: (tx, keyset, includes) =>
      tx.$queryRaw<ProductWithIncludes<ListedProduct>[]>`
        SELECT ${PRODUCT_COLUMNS}${rank}${includeColumns(options.storeId, includes, options.language)}
        FROM ${from}
        WHERE ${filter} AND ${keyset.where}
        ORDER BY ${keyset.orderBy}
        LIMIT ${keyset.limit}`,
    count: async (tx) => {
      const [row] = await tx.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM ${from} WHERE ${filter}`;
      return row?.count ?? 0;
    },
  };
}

/**
 * A search's FROM, condition and rank. The product's own document is searched in 'simple'; in a
 * language other than the store's default one, its translated title and description are searched
 * too, with the query made in that language's text-search configuration (stemmed as the
 * translations are), and the better of the two ranks counts.
 */
function translatedSearch(
  options: ProductQueryOptions,
  text: string,
): { from: Prisma.Sql; matches: Prisma.Sql; rank: Prisma.Sql } {
  const own = Prisma.sql`ts_rank(p."searchVector", search.query)::double precision`;
  if (options.language === null) {
    return {
      from: Prisma.sql`"Product" p CROSS JOIN app_prefix_tsquery(${text}) AS search(query)`,
      matches: Prisma.sql`p."searchVector" @@ search.query`,
      rank: own,
    };
  }
  const translations = Prisma.sql`FROM "Translation" st
    WHERE st."storeId" = ${options.storeId}::uuid AND st."productId" = p."id" AND st."locale" = ${options.language}
      AND st."searchVector" @@ localized.query`;
  return {
    from: Prisma.sql`"Product" p CROSS JOIN app_prefix_tsquery(${text}) AS search(query)
      CROSS JOIN app_prefix_tsquery(${text}, app_locale_regconfig(${options.language})) AS localized(query)`,
    matches: Prisma.sql`(p."searchVector" @@ search.query OR EXISTS (SELECT 1 ${translations}))`,
    rank: Prisma.sql`greatest(${own}, coalesce((SELECT max(ts_rank(st."searchVector", localized.query)) ${translations}), 0)::double precision)`,
  };
}

/** One product of the store by id or by handle, with the related rows `includes` names. */
export async function productRow(
  tx: RawSql,
  storeId: string,
  by: { id: string } | { handle: string },
  includes: ProductIncludes,
  language: string | null,
): Promise<ProductWithIncludes | null> {
  const where = 'id' in by ? Prisma.sql`p."id" = ${by.id}::uuid` : Prisma.sql`p."handle" = ${by.handle}`;
  const [row] = await tx.$queryRaw<ProductWithIncludes[]>`
    SELECT ${PRODUCT_COLUMNS}${includeColumns(storeId, includes, language)} FROM "Product" p
    WHERE p."storeId" = ${storeId}::uuid AND ${where}`;
  return row ?? null;
}
