-- Customer accounts: log-in throttling per email and per store (replacing the per-account
-- columns), phone-prefix search, and address country codes checked by the database too.

-- AlterTable
ALTER TABLE "Customer" DROP COLUMN "failedLoginCount",
DROP COLUMN "lockedUntil";

-- CreateTable
CREATE TABLE "CustomerLogInThrottle" (
    "storeId" UUID NOT NULL,
    "subject" TEXT NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "windowStart" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMPTZ(3),

    CONSTRAINT "CustomerLogInThrottle_pkey" PRIMARY KEY ("storeId","subject")
);

-- CreateIndex
CREATE INDEX "Customer_storeId_phone_idx" ON "Customer"("storeId", "phone");

-- Everything below is what schema.prisma cannot express (see the init migration).

ALTER TABLE "CustomerAddress"
    ADD CONSTRAINT "CustomerAddress_countryCode_check" CHECK ("countryCode" ~ '^[A-Z]{2}$');

ALTER TABLE "CustomerLogInThrottle"
    ADD CONSTRAINT "CustomerLogInThrottle_failures_check" CHECK ("failures" >= 0);

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "CustomerLogInThrottle" TO commerce_app;

ALTER TABLE "CustomerLogInThrottle" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "CustomerLogInThrottle" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "CustomerLogInThrottle" FOR ALL
    USING ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid)
    WITH CHECK ("storeId" = NULLIF(current_setting('app.store_id', true), '')::uuid);
