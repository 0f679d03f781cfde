import {
  Prisma,
  type Category,
  type InventoryLevel,
  type Product,
  type ProductImage,
  type ProductOption,
  type ProductVariant,
} from '@commerce/database';
import { inCurrency, requireStore, selectedFieldNames } from '@commerce/graphql-kit';
import { metafieldsColumn, metafieldsFromJson, seesAllMetafields } from '@commerce/metafields';
import type { GraphQLResolveInfo } from 'graphql';
import type { SubgraphContext } from '../context.js';
import { reviewSettingsColumn, reviewSettingsFromJson } from './review-settings.js';

/**
 * The rows a product query brings along in the same statement, as JSON columns, so that the fields
 * of a listing or a product page need no statement of their own: a storefront listing is then one
 * statement in one tenant transaction whatever the page size.
 */
export interface ProductIncludes {
  variants: boolean;
  /** Each variant's stock levels (only with variants). */
  inventory: boolean;
  images: boolean;
  options: boolean;
  categories: boolean;
  /** The store's review settings (whether ratings, reviews and questions show). */
  reviewSettings: boolean;
  /** The product's custom-field values: all of them (staff), those visible to the storefront, or none. */
  metafields: 'all' | 'storefront' | null;
}

const NEEDS_VARIANTS = ['variants', 'priceRange', 'compareAtPriceRange', 'totalInventory'];
const NEEDS_INVENTORY = ['inventory', 'inventoryLevels', 'lowStock'];
const NEEDS_REVIEW_SETTINGS = ['rating', 'reviews', 'questions'];
const NEEDS_METAFIELDS = ['metafield', 'metafields'];

/**
 * What to bring along for the products a field returns, from the fields asked of them: `paths` lead
 * from the resolver's field to the product objects (e.g. ['edges', 'node'] and ['nodes'] for a connection).
 */
export async function productIncludes(
  context: SubgraphContext,
  info: GraphQLResolveInfo,
  paths: readonly (readonly string[])[],
): Promise<ProductIncludes> {
  const fieldsAt = (at: readonly (readonly string[])[]) =>
    new Set(at.flatMap((path) => [...selectedFieldNames(info, path)]));
  const productFields = fieldsAt(paths);
  const variantFields = fieldsAt(
    paths.flatMap((path) => [
      [...path, 'variants', 'edges', 'node'],
      [...path, 'variants', 'nodes'],
    ]),
  );
  const variants = NEEDS_VARIANTS.some((field) => productFields.has(field));
  return {
    variants,
    inventory:
      variants && (productFields.has('totalInventory') || NEEDS_INVENTORY.some((field) => variantFields.has(field))),
    images: productFields.has('images'),
    options: productFields.has('options'),
    categories: productFields.has('categories'),
    reviewSettings: NEEDS_REVIEW_SETTINGS.some((field) => productFields.has(field)),
    metafields: NEEDS_METAFIELDS.some((field) => productFields.has(field))
      ? (await seesAllMetafields(context))
        ? 'all'
        : 'storefront'
      : null,
  };
}

// Decimals travel as text (a JSON number would lose digits); timestamps as ISO strings with offset.
// Each subquery compares "storeId" with the store's id, not with the outer row's: Citus prunes a
// table's shards by that table's own conditions, so a correlated "storeId" sends the statement to
// every shard. The hot columns (variants, stock, images, options) are built as json, not jsonb:
// PostgreSQL writes json text as it goes, where jsonb builds a binary tree only to print it again,
// and json's text is the shorter to parse.
const levels = (store: Prisma.Sql) => Prisma.sql`(
  SELECT coalesce(json_agg(to_json(l) ORDER BY l."locationId"), '[]'::json)
  FROM "InventoryLevel" l WHERE l."storeId" = ${store} AND l."variantId" = v."id")`;

// json has no `||`: the row, then its decimals as text beside it (variantOf puts them back).
function variantsColumn(store: Prisma.Sql, withInventory: boolean): Prisma.Sql {
  const levelsField = withInventory ? Prisma.sql`, 'levels', ${levels(store)}` : Prisma.empty;
  return Prisma.sql`(
    SELECT coalesce(json_agg(
      json_build_object('row', to_json(v), 'price', v."price"::text, 'compareAtPrice', v."compareAtPrice"::text${levelsField})
      ORDER BY v."position", v."id"), '[]'::json)
    FROM "ProductVariant" v WHERE v."storeId" = ${store} AND v."productId" = p."id") AS "includedVariants"`;
}

const images = (store: Prisma.Sql) => Prisma.sql`(
  SELECT coalesce(json_agg(to_json(i) ORDER BY i."position", i."id"), '[]'::json)
  FROM "ProductImage" i WHERE i."storeId" = ${store} AND i."productId" = p."id") AS "includedImages"`;

const options = (store: Prisma.Sql) => Prisma.sql`(
  SELECT coalesce(json_agg(to_json(o) ORDER BY o."position", o."id"), '[]'::json)
  FROM "ProductOption" o WHERE o."storeId" = ${store} AND o."productId" = p."id") AS "includedOptions"`;

// In a language other than the store's default one, each category brings its translations along.
const categoryTranslations = (store: Prisma.Sql, language: string | null) =>
  language === null
    ? Prisma.empty
    : Prisma.sql` || jsonb_build_object('translations', (
      SELECT coalesce(jsonb_object_agg(ct."key", ct."value"), '{}'::jsonb)
      FROM "Translation" ct
      WHERE ct."storeId" = ${store} AND ct."categoryId" = c."id" AND ct."locale" = ${language}))`;

const categories = (store: Prisma.Sql, language: string | null) => Prisma.sql`(
  SELECT coalesce(jsonb_agg(to_jsonb(c)${categoryTranslations(store, language)} ORDER BY pc."position", c."id"), '[]'::jsonb)
  FROM "ProductCategory" pc JOIN "Category" c ON c."storeId" = pc."storeId" AND c."id" = pc."categoryId"
  WHERE pc."storeId" = ${store} AND pc."productId" = p."id") AS "includedCategories"`;

// The translations of the product, its variants and its options in one language: their rows carry
// the product's id, so one indexed lookup finds them all.
const translations = (store: Prisma.Sql, language: string) => Prisma.sql`(
  SELECT coalesce(jsonb_agg(jsonb_build_object('resourceId', t."resourceId", 'key', t."key", 'value', t."value")), '[]'::jsonb)
  FROM "Translation" t
  WHERE t."storeId" = ${store} AND t."productId" = p."id" AND t."locale" = ${language}) AS "includedTranslations"`;

/**
 * The extra select-list columns for "Product" p of the store `storeId` (empty, or starting with a
 * comma); with a `language` (one other than the store's default), the translations of the rows too.
 */
export function includeColumns(storeId: string, includes: ProductIncludes, language: string | null): Prisma.Sql {
  const store = Prisma.sql`${storeId}::uuid`;
  const columns: Prisma.Sql[] = [];
  if (language !== null) columns.push(translations(store, language));
  if (includes.variants) columns.push(variantsColumn(store, includes.inventory));
  if (includes.images) columns.push(images(store));
  if (includes.options) columns.push(options(store));
  if (includes.categories) columns.push(categories(store, language));
  if (includes.reviewSettings) columns.push(reviewSettingsColumn(store));
  if (includes.metafields)
    columns.push(
      metafieldsColumn(
        storeId,
        'PRODUCT',
        Prisma.sql`p."id"`,
        includes.metafields === 'storefront',
        'includedMetafields',
      ),
    );
  return columns.length === 0 ? Prisma.empty : Prisma.sql`, ${Prisma.join(columns, ', ')}`;
}

type Json = Record<string, unknown>;

/** A product row with the included JSON columns, as a query with `includeColumns` returns it. */
export type ProductWithIncludes<P extends Product = Product> = P & {
  includedVariants?: Json[];
  includedImages?: Json[];
  includedOptions?: Json[];
  includedCategories?: Json[];
  includedReviewSettings?: Json | null;
  includedMetafields?: Json[];
  includedTranslations?: Json[];
};

const date = (value: unknown) => new Date(value as string);
const decimal = (value: unknown) => new Prisma.Decimal(value as string);

/** A variant of includedVariants: its row, with its decimals from their text beside it (variantsColumn). */
function variantOf(json: Json): ProductVariant {
  const row = json.row as Json;
  return {
    ...row,
    price: decimal(json.price),
    compareAtPrice: json.compareAtPrice == null ? null : decimal(json.compareAtPrice),
    createdAt: date(row.createdAt),
    updatedAt: date(row.updatedAt),
  } as ProductVariant;
}

function levelOf(json: Json): InventoryLevel {
  return { ...json, updatedAt: date(json.updatedAt) } as InventoryLevel;
}

function categoryOf(json: Json): Category {
  const { translations: _translations, ...row } = json;
  return { ...row, createdAt: date(json.createdAt), updatedAt: date(json.updatedAt) } as Category;
}

/** Primes the translations loader for every resource of a product row: those without any get an empty map. */
function primeTranslations(
  context: SubgraphContext,
  rows: readonly Json[],
  resourceIds: readonly string[],
  categories: readonly Json[] | undefined,
): void {
  const byResource = new Map<string, Map<string, string>>(resourceIds.map((id) => [id, new Map()]));
  for (const row of rows) byResource.get(String(row.resourceId))?.set(String(row.key), String(row.value));
  for (const category of categories ?? [])
    byResource.set(
      String(category.id),
      new Map(Object.entries((category.translations ?? {}) as Record<string, string>)),
    );
  for (const [id, translations] of byResource) context.loaders.translations.prime(id, translations);
}

/**
 * Hands the included rows to the loaders that the product's fields read (so they answer without a
 * statement) and returns the products without the JSON columns.
 */
export function primeIncludes<P extends Product>(
  context: SubgraphContext,
  rows: readonly ProductWithIncludes<P>[],
): P[] {
  const { loaders } = context;
  return rows.map(
    ({
      includedVariants,
      includedImages,
      includedOptions,
      includedCategories,
      includedReviewSettings,
      includedMetafields,
      includedTranslations,
      ...product
    }) => {
      const id = product.id;
      if (includedTranslations) {
        const ids = [
          id,
          ...(includedVariants ?? []).map((json) => String((json.row as Json).id)),
          ...(includedOptions ?? []).map((row) => String(row.id)),
        ];
        primeTranslations(context, includedTranslations, ids, includedCategories);
      }
      if (includedReviewSettings !== undefined)
        loaders.reviewSettings.prime(product.storeId, reviewSettingsFromJson(includedReviewSettings));
      if (includedVariants) {
        // Rows are read only in their store's requests, so the variants are priced in its currency.
        const currencyCode = requireStore(context).currencyCode;
        const variants = includedVariants.map((json) => {
          const variant = inCurrency(variantOf(json), currencyCode);
          loaders.variantById.prime(variant.id, variant);
          if (Array.isArray(json.levels))
            loaders.inventoryLevelsByVariant.prime(variant.id, (json.levels as Json[]).map(levelOf));
          return variant;
        });
        loaders.variantsByProduct.prime(id, variants);
      }
      if (includedImages) loaders.imagesByProduct.prime(id, includedImages as unknown as ProductImage[]);
      if (includedOptions) loaders.optionsByProduct.prime(id, includedOptions as unknown as ProductOption[]);
      if (includedCategories) loaders.categoriesByProduct.prime(id, includedCategories.map(categoryOf));
      if (includedMetafields) loaders.productMetafields.prime(id, metafieldsFromJson(includedMetafields));
      loaders.productById.prime(id, product as unknown as P);
      return product as unknown as P;
    },
  );
}
