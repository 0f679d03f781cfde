-- The analytics read models (DESIGN §14): rollups kept by an outbox consumer, so that the
-- dashboard reads a row per day (or per product and day) instead of scanning orders. Days are
-- the store's local calendar days. Every table is the store's, keyed by "storeId" first, and
-- colocated with "StoreCounter" on Citus (prisma/distribute.sql).

-- CreateTable
CREATE TABLE "AnalyticsCursor" (
    "storeId" UUID NOT NULL,
    "lastSequence" BIGINT NOT NULL DEFAULT 0,
    "lastEventAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AnalyticsCursor_pkey" PRIMARY KEY ("storeId")
);

-- CreateTable
CREATE TABLE "AnalyticsDailySales" (
    "storeId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "grossSales" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "discounts" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "refunds" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "shipping" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "tax" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "total" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "ordersCount" INTEGER NOT NULL DEFAULT 0,
    "ordersPlaced" INTEGER NOT NULL DEFAULT 0,
    "cartsCreated" INTEGER NOT NULL DEFAULT 0,
    "checkoutsFailed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AnalyticsDailySales_pkey" PRIMARY KEY ("storeId","day")
);

-- CreateTable
CREATE TABLE "AnalyticsProductDaily" (
    "storeId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "productId" UUID NOT NULL,
    "units" INTEGER NOT NULL DEFAULT 0,
    "netSales" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "ordersCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AnalyticsProductDaily_pkey" PRIMARY KEY ("storeId","day","productId")
);

-- CreateTable
CREATE TABLE "AnalyticsBuyer" (
    "storeId" UUID NOT NULL,
    "buyerKey" TEXT NOT NULL,
    "customerId" UUID,
    "firstOrderAt" TIMESTAMPTZ(3) NOT NULL,
    "lastOrderAt" TIMESTAMPTZ(3) NOT NULL,
    "ordersCount" INTEGER NOT NULL DEFAULT 0,
    "netSales" DECIMAL(19,4) NOT NULL DEFAULT 0,

    CONSTRAINT "AnalyticsBuyer_pkey" PRIMARY KEY ("storeId","buyerKey")
);

-- CreateTable
CREATE TABLE "AnalyticsBuyerDaily" (
    "storeId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "buyerKey" TEXT NOT NULL,
    "ordersCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AnalyticsBuyerDaily_pkey" PRIMARY KEY ("storeId","day","buyerKey")
);

-- CreateIndex
CREATE INDEX "AnalyticsProductDaily_storeId_productId_day_idx" ON "AnalyticsProductDaily"("storeId", "productId", "day");

-- CreateIndex
CREATE INDEX "AnalyticsBuyer_storeId_customerId_idx" ON "AnalyticsBuyer"("storeId", "customerId");

-- CreateIndex
CREATE INDEX "AnalyticsBuyer_storeId_firstOrderAt_idx" ON "AnalyticsBuyer"("storeId", "firstOrderAt");

-- AddForeignKey
ALTER TABLE "AnalyticsCursor" ADD CONSTRAINT "AnalyticsCursor_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "AnalyticsDailySales" ADD CONSTRAINT "AnalyticsDailySales_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "AnalyticsProductDaily" ADD CONSTRAINT "AnalyticsProductDaily_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "AnalyticsBuyer" ADD CONSTRAINT "AnalyticsBuyer_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "AnalyticsBuyerDaily" ADD CONSTRAINT "AnalyticsBuyerDaily_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- Everything below is what schema.prisma cannot express (see the init migration).

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE
    "AnalyticsCursor", "AnalyticsDailySales", "AnalyticsProductDaily", "AnalyticsBuyer", "AnalyticsBuyerDaily"
TO commerce_app;

-- Tenant isolation, as on every store table (see the init migration).
DO $$
DECLARE
    table_name text;
BEGIN
    FOREACH table_name IN ARRAY ARRAY['AnalyticsCursor', 'AnalyticsDailySales', 'AnalyticsProductDaily', 'AnalyticsBuyer', 'AnalyticsBuyerDaily'] LOOP
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

-- The stores whose analytics are behind their events: the one cross-store read the consumer
-- makes (the app role sees one store per transaction). A store without a cursor yet is behind
-- once it has an event. PL/pgSQL, like the platform's other cross-store functions, so that Citus
-- runs it on the coordinator (see the README, "What Citus supports").
CREATE FUNCTION app_stores_with_analytics_behind(max_stores integer)
RETURNS TABLE ("storeId" uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
BEGIN
    RETURN QUERY
    SELECT c."storeId"
    FROM "StoreCounter" c
    LEFT JOIN "AnalyticsCursor" a ON a."storeId" = c."storeId"
    WHERE c."lastEventSequence" > coalesce(a."lastSequence", 0)
    LIMIT greatest(max_stores, 0);
END
$$;

REVOKE ALL ON FUNCTION app_stores_with_analytics_behind(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_stores_with_analytics_behind(integer) TO commerce_app;
