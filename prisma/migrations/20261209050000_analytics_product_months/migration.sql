-- A product's sales per store-local month, beside those per day: a year's top products then sum a
-- dozen months and the days of the partial months at its ends, not every product's every day.

-- CreateTable
CREATE TABLE "AnalyticsProductMonthly" (
    "storeId" UUID NOT NULL,
    "month" DATE NOT NULL,
    "productId" UUID NOT NULL,
    "units" INTEGER NOT NULL DEFAULT 0,
    "netSales" DECIMAL(19,4) NOT NULL DEFAULT 0,
    "ordersCount" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AnalyticsProductMonthly_pkey" PRIMARY KEY ("storeId","month","productId")
);

-- CreateIndex
CREATE INDEX "AnalyticsProductMonthly_storeId_productId_month_idx" ON "AnalyticsProductMonthly"("storeId", "productId", "month");

-- AddForeignKey
ALTER TABLE "AnalyticsProductMonthly" ADD CONSTRAINT "AnalyticsProductMonthly_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- Everything below is what schema.prisma cannot express (see the init migration).

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "AnalyticsProductMonthly" TO commerce_app;

-- Tenant isolation, as on every store table (see the init migration).
ALTER TABLE "AnalyticsProductMonthly" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "AnalyticsProductMonthly" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AnalyticsProductMonthly" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);

-- Months of the days already kept, so that stores answer from both at once after this migration
-- (as the migrating role, which passes the policies: see the init migration).
INSERT INTO "AnalyticsProductMonthly" ("storeId", "month", "productId", "units", "netSales", "ordersCount")
SELECT "storeId", date_trunc('month', "day"::timestamp)::date, "productId", sum("units"), sum("netSales"), sum("ordersCount")
FROM "AnalyticsProductDaily"
GROUP BY 1, 2, 3;
