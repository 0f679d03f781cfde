-- Catalog search and inventory: full-text search over products, prices that are never missing,
-- and idempotent stock changes.

-- Products made through the API always have a variant and so a price range; a product without
-- one (inserted by hand) gets its variants' range, or zero, before the columns become required.
UPDATE "Product" p
SET "minPrice" = COALESCE(p."minPrice", v."minPrice", 0),
    "maxPrice" = COALESCE(p."maxPrice", v."maxPrice", p."minPrice", v."minPrice", 0)
FROM (
    SELECT pr."id", min(pv."price") AS "minPrice", max(pv."price") AS "maxPrice"
    FROM "Product" pr
    LEFT JOIN "ProductVariant" pv ON pv."storeId" = pr."storeId" AND pv."productId" = pr."id"
    GROUP BY pr."id"
) v
WHERE v."id" = p."id" AND (p."minPrice" IS NULL OR p."maxPrice" IS NULL);

-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "searchVector" tsvector,
ADD COLUMN     "variantSkus" TEXT NOT NULL DEFAULT '',
ALTER COLUMN "minPrice" SET NOT NULL,
ALTER COLUMN "minPrice" SET DEFAULT 0,
ALTER COLUMN "maxPrice" SET NOT NULL,
ALTER COLUMN "maxPrice" SET DEFAULT 0;

-- AlterTable
ALTER TABLE "StockMovement" ADD COLUMN     "requestHash" TEXT;

-- CreateIndex
CREATE INDEX "Product_searchVector_idx" ON "Product" USING GIN ("searchVector");

-- Everything below is what schema.prisma cannot express.

-- The search document of a product: its title weighs most (A), then its tags and its variants'
-- SKUs (B), then its description (C). The 'simple' configuration lower-cases words without
-- stemming, so that prefixes typed into a search box match the words as written, SKUs included,
-- in any language.
CREATE FUNCTION app_product_search_vector()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
    NEW."searchVector" :=
        setweight(to_tsvector('simple', NEW."title"), 'A')
        || setweight(to_tsvector('simple', array_to_string(NEW."tags", ' ') || ' ' || NEW."variantSkus"), 'B')
        || setweight(to_tsvector('simple', NEW."description"), 'C');
    RETURN NEW;
END
$$;

CREATE TRIGGER "Product_searchVector"
    BEFORE INSERT OR UPDATE OF "title", "description", "tags", "variantSkus" ON "Product"
    FOR EACH ROW
    EXECUTE FUNCTION app_product_search_vector();

-- Keeps "Product"."variantSkus" equal to the SKUs of the product's variants, whoever writes them
-- (the catalog service, the seed, a bulk import). Once per statement, over the products the
-- statement touched; a product whose SKUs did not change is not written (nor locked).
CREATE FUNCTION app_product_variant_skus()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
BEGIN
    UPDATE "Product" p
    SET "variantSkus" = s."skus"
    FROM (
        SELECT c."storeId", c."productId",
               COALESCE((
                   SELECT string_agg(v."sku", ' ' ORDER BY v."position", v."id")
                   FROM "ProductVariant" v
                   WHERE v."storeId" = c."storeId" AND v."productId" = c."productId" AND v."sku" IS NOT NULL
               ), '') AS "skus"
        FROM (SELECT DISTINCT "storeId", "productId" FROM changed) c
    ) s
    WHERE p."storeId" = s."storeId" AND p."id" = s."productId" AND p."variantSkus" IS DISTINCT FROM s."skus";
    RETURN NULL;
END
$$;

CREATE TRIGGER "ProductVariant_skus_insert"
    AFTER INSERT ON "ProductVariant"
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT
    EXECUTE FUNCTION app_product_variant_skus();

CREATE TRIGGER "ProductVariant_skus_update"
    AFTER UPDATE ON "ProductVariant"
    REFERENCING NEW TABLE AS changed
    FOR EACH STATEMENT
    EXECUTE FUNCTION app_product_variant_skus();

CREATE TRIGGER "ProductVariant_skus_delete"
    AFTER DELETE ON "ProductVariant"
    REFERENCING OLD TABLE AS changed
    FOR EACH STATEMENT
    EXECUTE FUNCTION app_product_variant_skus();

-- A search box's text as a query: every word the 'simple' parser finds in it must match, each also
-- as the start of a longer word ("lin" finds "Linen"). NULL when the text has no words, which
-- matches nothing. The words are the lexemes to_tsvector makes of the text, exactly as it makes
-- them of the products; they are quoted (backslash and quote escaped) and cast, not given to
-- to_tsquery, which would parse them a second time (and split e.g. "1e5abc" into "1e5" and "abc").
CREATE FUNCTION app_prefix_tsquery(search text)
RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = public, pg_temp
AS $$
    SELECT string_agg('''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || ''':*', ' & ')::tsquery
    FROM unnest(tsvector_to_array(to_tsvector('simple', search))) AS lexeme
$$;

REVOKE ALL ON FUNCTION app_product_search_vector() FROM PUBLIC;
REVOKE ALL ON FUNCTION app_product_variant_skus() FROM PUBLIC;
REVOKE ALL ON FUNCTION app_prefix_tsquery(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_product_search_vector() TO commerce_app;
GRANT EXECUTE ON FUNCTION app_product_variant_skus() TO commerce_app;
GRANT EXECUTE ON FUNCTION app_prefix_tsquery(text) TO commerce_app;

-- Fill both for the products that exist (the update fires the search trigger for every row).
UPDATE "Product" p
SET "variantSkus" = COALESCE((
    SELECT string_agg(v."sku", ' ' ORDER BY v."position", v."id")
    FROM "ProductVariant" v
    WHERE v."storeId" = p."storeId" AND v."productId" = p."id" AND v."sku" IS NOT NULL
), '');
