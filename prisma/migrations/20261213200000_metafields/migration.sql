-- Custom fields (metafields). Staff define typed fields per kind of owner ("MetafieldDefinition",
-- the store domain's); an owner's values are rows of "Metafield", one per owner and definition,
-- keeping the value in its canonical form and, for the scalar types a filter can compare, a
-- search value that the listing filter finds through an index leading with the store.

-- CreateEnum
CREATE TYPE "MetafieldOwnerType" AS ENUM ('PRODUCT', 'PRODUCT_VARIANT', 'CUSTOMER', 'ORDER', 'STORE');

-- CreateEnum
CREATE TYPE "MetafieldType" AS ENUM ('SINGLE_LINE_TEXT', 'MULTI_LINE_TEXT', 'INTEGER', 'DECIMAL', 'BOOLEAN', 'DATE', 'DATE_TIME', 'URL', 'JSON', 'MONEY', 'PRODUCT_REFERENCE', 'VARIANT_REFERENCE', 'CATEGORY_REFERENCE');

-- CreateTable
CREATE TABLE "MetafieldDefinition" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "ownerType" "MetafieldOwnerType" NOT NULL,
    "namespace" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "type" "MetafieldType" NOT NULL,
    "list" BOOLEAN NOT NULL DEFAULT false,
    "validations" JSONB NOT NULL DEFAULT '{}',
    "visibleToStorefront" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MetafieldDefinition_pkey" PRIMARY KEY ("storeId","id")
);

-- CreateTable
CREATE TABLE "Metafield" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "definitionId" UUID NOT NULL,
    "ownerType" "MetafieldOwnerType" NOT NULL,
    "ownerId" UUID NOT NULL,
    "value" TEXT NOT NULL,
    "searchValue" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Metafield_pkey" PRIMARY KEY ("storeId","id")
);

-- CreateIndex
CREATE UNIQUE INDEX "MetafieldDefinition_storeId_ownerType_namespace_key_key" ON "MetafieldDefinition"("storeId", "ownerType", "namespace", "key");

-- CreateIndex
CREATE INDEX "MetafieldDefinition_storeId_namespace_key_idx" ON "MetafieldDefinition"("storeId", "namespace", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Metafield_storeId_ownerId_definitionId_key" ON "Metafield"("storeId", "ownerId", "definitionId");

-- CreateIndex: the listing filter (Store.products(filter: { metafield })) finds owners by value.
CREATE INDEX "Metafield_storeId_definitionId_searchValue_ownerId_idx" ON "Metafield"("storeId", "definitionId", "searchValue", "ownerId");

-- AddForeignKey
ALTER TABLE "MetafieldDefinition" ADD CONSTRAINT "MetafieldDefinition_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "Metafield" ADD CONSTRAINT "Metafield_storeId_definitionId_fkey" FOREIGN KEY ("storeId", "definitionId") REFERENCES "MetafieldDefinition"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "Metafield" ADD CONSTRAINT "Metafield_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- Everything below is what schema.prisma cannot express (see the init migration).

-- As every enum (see 20261207030000_enum_text_casts).
CREATE CAST ("MetafieldOwnerType" AS text) WITH FUNCTION app_enum_text(anyenum) AS ASSIGNMENT;
CREATE CAST ("MetafieldType" AS text) WITH FUNCTION app_enum_text(anyenum) AS ASSIGNMENT;

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "MetafieldDefinition", "Metafield" TO commerce_app;

-- Tenant isolation, as on every store table (see the init migration).
DO $$
DECLARE
    table_name text;
BEGIN
    FOREACH table_name IN ARRAY ARRAY['MetafieldDefinition', 'Metafield'] LOOP
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
