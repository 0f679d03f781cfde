-- A span's buyer figures (new, returning, repeat rate, average lifetime value) from the span's
-- buyer-day rows alone: each row now carries the buyer's previous day with an order, the day of
-- their first order and their lifetime figures, so a span's distinct buyers are its rows whose
-- previous day falls before it, read from one covering index, without a DISTINCT over the span
-- or a join to every buyer. The consumer keeps the columns of the buyers a batch touches.

-- AlterTable
ALTER TABLE "AnalyticsBuyerDaily" ADD COLUMN "previousDay" DATE,
ADD COLUMN "firstDay" DATE,
ADD COLUMN "lifetimeOrders" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "lifetimeNetSales" DECIMAL(19,4) NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "AnalyticsBuyerDaily_storeId_buyerKey_day_idx" ON "AnalyticsBuyerDaily"("storeId", "buyerKey", "day");

-- The rows already kept (as the migrating role, which passes the policies: see the init migration).
UPDATE "AnalyticsBuyerDaily" AS t
SET "previousDay" = r."previousDay", "firstDay" = r."firstDay", "lifetimeOrders" = r."lifetimeOrders", "lifetimeNetSales" = r."lifetimeNetSales"
FROM (
    SELECT d."storeId", d."day", d."buyerKey",
           lag(d."day") OVER (PARTITION BY d."storeId", d."buyerKey" ORDER BY d."day") AS "previousDay",
           (b."firstOrderAt" AT TIME ZONE s."timezone")::date AS "firstDay",
           b."ordersCount" AS "lifetimeOrders", b."netSales" AS "lifetimeNetSales"
    FROM "AnalyticsBuyerDaily" d
    JOIN "AnalyticsBuyer" b ON b."storeId" = d."storeId" AND b."buyerKey" = d."buyerKey"
    JOIN "Store" s ON s."id" = d."storeId"
    WHERE d."ordersCount" > 0
) r
WHERE t."storeId" = r."storeId" AND t."day" = r."day" AND t."buyerKey" = r."buyerKey";

-- Rows of days whose orders were all cancelled count nowhere: gone, as the consumer now removes them.
DELETE FROM "AnalyticsBuyerDaily" WHERE "ordersCount" <= 0;

ALTER TABLE "AnalyticsBuyerDaily" ALTER COLUMN "firstDay" SET NOT NULL;

-- Everything below is what schema.prisma cannot express (see the init migration).

-- A span's rows with every column its buyer figures read: an index-only scan of the span.
CREATE INDEX "AnalyticsBuyerDaily_span_idx" ON "AnalyticsBuyerDaily"("storeId", "day")
    INCLUDE ("ordersCount", "previousDay", "firstDay", "lifetimeOrders", "lifetimeNetSales");
