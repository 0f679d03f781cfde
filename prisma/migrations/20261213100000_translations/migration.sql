-- Translations and product SEO. A store offers languages besides its default one ("locales");
-- catalog content (products, variants, options, categories) is translated in "Translation", the
-- catalog domain's, and the store's own SEO in "StoreTranslation", the store domain's
-- (DESIGN §3). A request's Accept-Language picks one of the store's languages.

-- AlterTable
ALTER TABLE "Store" ADD COLUMN "locales" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "Product" ADD COLUMN "seoTitle" TEXT,
ADD COLUMN "seoDescription" TEXT;

-- The text-search configuration of a language: PostgreSQL's stemmer for the languages it has one
-- for, 'simple' (lower-cased words, no stemming) for the others. Immutable, so a generated column
-- and its index may use it.
CREATE FUNCTION app_locale_regconfig(locale text)
RETURNS regconfig
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = public, pg_temp
AS $$
    SELECT CASE lower(split_part(locale, '-', 1))
        WHEN 'ar' THEN 'arabic'::regconfig
        WHEN 'ca' THEN 'catalan'::regconfig
        WHEN 'da' THEN 'danish'::regconfig
        WHEN 'de' THEN 'german'::regconfig
        WHEN 'el' THEN 'greek'::regconfig
        WHEN 'en' THEN 'english'::regconfig
        WHEN 'es' THEN 'spanish'::regconfig
        WHEN 'eu' THEN 'basque'::regconfig
        WHEN 'fi' THEN 'finnish'::regconfig
        WHEN 'fr' THEN 'french'::regconfig
        WHEN 'ga' THEN 'irish'::regconfig
        WHEN 'hi' THEN 'hindi'::regconfig
        WHEN 'hu' THEN 'hungarian'::regconfig
        WHEN 'hy' THEN 'armenian'::regconfig
        WHEN 'id' THEN 'indonesian'::regconfig
        WHEN 'it' THEN 'italian'::regconfig
        WHEN 'lt' THEN 'lithuanian'::regconfig
        WHEN 'nb' THEN 'norwegian'::regconfig
        WHEN 'ne' THEN 'nepali'::regconfig
        WHEN 'nl' THEN 'dutch'::regconfig
        WHEN 'nn' THEN 'norwegian'::regconfig
        WHEN 'no' THEN 'norwegian'::regconfig
        WHEN 'pt' THEN 'portuguese'::regconfig
        WHEN 'ro' THEN 'romanian'::regconfig
        WHEN 'ru' THEN 'russian'::regconfig
        WHEN 'sr' THEN 'serbian'::regconfig
        WHEN 'sv' THEN 'swedish'::regconfig
        WHEN 'ta' THEN 'tamil'::regconfig
        WHEN 'tr' THEN 'turkish'::regconfig
        WHEN 'yi' THEN 'yiddish'::regconfig
        ELSE 'simple'::regconfig
    END
$$;

-- A search box's text as a query in a language's configuration, as app_prefix_tsquery(text) makes
-- it in 'simple': every word, stemmed as the language's documents are, must match, each also as
-- the start of a longer word. NULL when the text has no words (or only stop words).
CREATE FUNCTION app_prefix_tsquery(search text, config regconfig)
RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = public, pg_temp
AS $$
    SELECT string_agg('''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || ''':*', ' & ')::tsquery
    FROM unnest(tsvector_to_array(to_tsvector(config, search))) AS lexeme
$$;

REVOKE ALL ON FUNCTION app_locale_regconfig(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_prefix_tsquery(text, regconfig) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_locale_regconfig(text) TO commerce_app;
GRANT EXECUTE ON FUNCTION app_prefix_tsquery(text, regconfig) TO commerce_app;

-- CreateTable
CREATE TABLE "Translation" (
    "storeId" UUID NOT NULL,
    "resourceType" TEXT NOT NULL,
    "resourceId" UUID NOT NULL,
    "productId" UUID,
    "categoryId" UUID,
    "locale" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Translation_pkey" PRIMARY KEY ("storeId","resourceId","locale","key")
);

-- CreateTable
CREATE TABLE "StoreTranslation" (
    "storeId" UUID NOT NULL,
    "locale" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoreTranslation_pkey" PRIMARY KEY ("storeId","locale","key")
);

-- CreateIndex
CREATE INDEX "Translation_storeId_productId_locale_idx" ON "Translation"("storeId", "productId", "locale");

-- CreateIndex
CREATE INDEX "Translation_storeId_categoryId_locale_idx" ON "Translation"("storeId", "categoryId", "locale");

-- AddForeignKey
ALTER TABLE "Translation" ADD CONSTRAINT "Translation_storeId_productId_fkey" FOREIGN KEY ("storeId", "productId") REFERENCES "Product"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "Translation" ADD CONSTRAINT "Translation_storeId_categoryId_fkey" FOREIGN KEY ("storeId", "categoryId") REFERENCES "Category"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "Translation" ADD CONSTRAINT "Translation_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "StoreTranslation" ADD CONSTRAINT "StoreTranslation_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- Everything below is what schema.prisma cannot express (see the init migration).

-- The search document of a translated title or name (A) or description (C), in the language's
-- configuration, so that a French search for "chemises" finds the translated "Chemise en lin".
ALTER TABLE "Translation" ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (
    CASE
        WHEN "key" IN ('title', 'name') THEN setweight(to_tsvector(app_locale_regconfig("locale"), "value"), 'A')
        WHEN "key" = 'description' THEN setweight(to_tsvector(app_locale_regconfig("locale"), "value"), 'C')
    END
) STORED;

-- CreateIndex
CREATE INDEX "Translation_searchVector_idx" ON "Translation" USING GIN ("searchVector");

ALTER TABLE "Translation" ADD CONSTRAINT "Translation_owner_check" CHECK (
    ("resourceType" = 'CATEGORY') = ("categoryId" IS NOT NULL)
    AND ("resourceType" <> 'CATEGORY') = ("productId" IS NOT NULL)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "Translation", "StoreTranslation" TO commerce_app;

-- Tenant isolation, as on every store table (see the init migration).
DO $$
DECLARE
    table_name text;
BEGIN
    FOREACH table_name IN ARRAY ARRAY['Translation', 'StoreTranslation'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', table_name);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', table_name);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I FOR ALL '
            'USING ("storeId" = NULLIF(current_setting(''app.store_id'', true), '''')::uuid) '
            'WITH CHECK ("storeId" = NULLIF(current_setting(''app.store_id'', true), '''')::uuid)',
            table_name
        );
    END LOOP;
END
$$;

-- Tenant resolution also names the store's languages: a request's Accept-Language is matched
-- against them before any resolver runs, without a statement of its own.
DROP FUNCTION app_resolve_store(text);
DROP FUNCTION app_resolve_store_domain(text);

CREATE FUNCTION app_resolve_store(ref text)
RETURNS TABLE (id uuid, slug text, status "StoreStatus", "currencyCode" text, locale text, locales text[])
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT s."id", s."slug", s."status", s."currencyCode"::text, s."locale", s."locales"
    FROM "Store" s
    WHERE s."slug" = ref
       OR s."id" = CASE
            WHEN ref ~ '^[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}$'
            THEN ref::uuid
          END
$$;

CREATE FUNCTION app_resolve_store_domain(hostname text)
RETURNS TABLE (id uuid, slug text, status "StoreStatus", "currencyCode" text, locale text, locales text[])
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT s."id", s."slug", s."status", s."currencyCode"::text, s."locale", s."locales"
    FROM "StoreDomain" d
    JOIN "Store" s ON s."id" = d."storeId"
    WHERE d."hostname" = lower(app_resolve_store_domain.hostname)
      AND d."verifiedAt" IS NOT NULL
$$;

REVOKE ALL ON FUNCTION app_resolve_store(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION app_resolve_store_domain(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_resolve_store(text) TO commerce_app;
GRANT EXECUTE ON FUNCTION app_resolve_store_domain(text) TO commerce_app;
