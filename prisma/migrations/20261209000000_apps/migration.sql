-- Apps (DESIGN §14): server-to-server credentials of a store. A token is shown once and kept
-- only as its SHA-256 hash; the token names its store, so it is looked up by ("storeId",
-- "tokenHash") in that store's scope, like every other tenant row.

-- CreateTable
CREATE TABLE "App" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "permissions" TEXT[],
    "tokenHash" TEXT NOT NULL,
    "tokenHint" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "tokenRotatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastUsedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "App_pkey" PRIMARY KEY ("storeId","id")
);

-- CreateIndex
CREATE UNIQUE INDEX "App_storeId_tokenHash_key" ON "App"("storeId", "tokenHash");

-- AddForeignKey
ALTER TABLE "App" ADD CONSTRAINT "App_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- Everything below is what schema.prisma cannot express (see the init migration).

ALTER TABLE "App"
    ADD CONSTRAINT "App_name_check" CHECK (length(btrim("name")) BETWEEN 1 AND 100),
    ADD CONSTRAINT "App_permissions_check" CHECK ("permissions" IS NOT NULL);

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "App" TO commerce_app;

-- Tenant isolation, as on every store table (see the init migration).
ALTER TABLE "App" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "App" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "App" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);
