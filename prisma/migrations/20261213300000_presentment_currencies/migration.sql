-- Presentment currencies (README, "Currencies"): the currencies a store shows prices in besides its
-- own, each with an exact exchange rate and a rounding rule (the store domain's), and the fixed
-- prices staff set for a variant in one of them (the catalog's), which replace the converted price.

-- How a converted price is rounded.
CREATE TYPE "CurrencyRounding" AS ENUM ('MINOR_UNITS', 'WHOLE_UNITS', 'ENDING_99', 'ENDING_95');
CREATE CAST ("CurrencyRounding" AS text) WITH FUNCTION app_enum_text(anyenum) AS ASSIGNMENT;

-- CreateTable
CREATE TABLE "StoreCurrency" (
    "storeId" UUID NOT NULL,
    "currencyCode" CHAR(3) NOT NULL,
    "rate" DECIMAL(16,6) NOT NULL,
    "rounding" "CurrencyRounding" NOT NULL DEFAULT 'MINOR_UNITS',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StoreCurrency_pkey" PRIMARY KEY ("storeId","currencyCode"),
    CONSTRAINT "StoreCurrency_rate_check" CHECK ("rate" > 0)
);

-- CreateTable
CREATE TABLE "ProductVariantPrice" (
    "storeId" UUID NOT NULL,
    "variantId" UUID NOT NULL,
    "currencyCode" CHAR(3) NOT NULL,
    "price" DECIMAL(19,4) NOT NULL,
    "compareAtPrice" DECIMAL(19,4),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProductVariantPrice_pkey" PRIMARY KEY ("storeId","variantId","currencyCode"),
    CONSTRAINT "ProductVariantPrice_price_check" CHECK ("price" >= 0 AND ("compareAtPrice" IS NULL OR "compareAtPrice" >= 0))
);

-- AddForeignKey
ALTER TABLE "StoreCurrency" ADD CONSTRAINT "StoreCurrency_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "ProductVariantPrice" ADD CONSTRAINT "ProductVariantPrice_storeId_variantId_fkey" FOREIGN KEY ("storeId", "variantId") REFERENCES "ProductVariant"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "ProductVariantPrice" ADD CONSTRAINT "ProductVariantPrice_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- Everything below is what schema.prisma cannot express (see the init migration).

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "StoreCurrency", "ProductVariantPrice" TO commerce_app;

-- Tenant isolation, as on every store table (see the init migration).
DO $$
DECLARE
    table_name text;
BEGIN
    FOREACH table_name IN ARRAY ARRAY['StoreCurrency', 'ProductVariantPrice'] LOOP
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
