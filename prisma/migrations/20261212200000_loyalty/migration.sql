-- Loyalty, the customer domain's (DESIGN §3). A store's programme says how many points a unit of
-- its currency earns, what a point is worth when redeemed and its tiers. A customer's points are a
-- ledger ("LoyaltyTransaction", signed points) whose sum is the balance kept in "LoyaltyBalance":
-- every ledger row changes the balance row in the same transaction, and the balance can never go
-- below zero (the CHECK), so concurrent redemptions cannot overdraw it.

-- CreateEnum
CREATE TYPE "LoyaltyTransactionKind" AS ENUM ('EARN', 'REDEEM', 'REVERSE', 'REFUND_REDEMPTION', 'ADJUST');

-- CreateTable
CREATE TABLE "LoyaltyProgram" (
    "storeId" UUID NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "pointsPerUnit" DECIMAL(12,4) NOT NULL,
    "unitValue" DECIMAL(12,4) NOT NULL,
    "tiers" JSONB NOT NULL DEFAULT '[]',
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoyaltyProgram_pkey" PRIMARY KEY ("storeId")
);

-- CreateTable
CREATE TABLE "LoyaltyBalance" (
    "storeId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoyaltyBalance_pkey" PRIMARY KEY ("storeId","customerId")
);

-- CreateTable
CREATE TABLE "LoyaltyTransaction" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "storeId" UUID NOT NULL,
    "customerId" UUID NOT NULL,
    "kind" "LoyaltyTransactionKind" NOT NULL,
    "points" INTEGER NOT NULL,
    "orderId" UUID,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoyaltyTransaction_pkey" PRIMARY KEY ("storeId","id")
);

-- CreateIndex
CREATE INDEX "LoyaltyTransaction_storeId_customerId_createdAt_id_idx" ON "LoyaltyTransaction"("storeId", "customerId", "createdAt", "id");

-- CreateIndex: an order earns once, however often its payment is reported.
CREATE UNIQUE INDEX "LoyaltyTransaction_storeId_orderId_earn_key" ON "LoyaltyTransaction"("storeId", "orderId") WHERE "kind" = 'EARN';

-- AddForeignKey
ALTER TABLE "LoyaltyProgram" ADD CONSTRAINT "LoyaltyProgram_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "LoyaltyBalance" ADD CONSTRAINT "LoyaltyBalance_storeId_customerId_fkey" FOREIGN KEY ("storeId", "customerId") REFERENCES "Customer"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "LoyaltyBalance" ADD CONSTRAINT "LoyaltyBalance_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "LoyaltyTransaction" ADD CONSTRAINT "LoyaltyTransaction_storeId_customerId_fkey" FOREIGN KEY ("storeId", "customerId") REFERENCES "Customer"("storeId", "id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- AddForeignKey
ALTER TABLE "LoyaltyTransaction" ADD CONSTRAINT "LoyaltyTransaction_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "Store"("id") ON DELETE CASCADE ON UPDATE NO ACTION;

-- Everything below is what schema.prisma cannot express (see the init migration).

-- As every enum (see 20261207030000_enum_text_casts).
CREATE CAST ("LoyaltyTransactionKind" AS text) WITH FUNCTION app_enum_text(anyenum) AS ASSIGNMENT;

-- A balance is never negative: a redemption larger than it fails in the statement that debits it.
ALTER TABLE "LoyaltyBalance" ADD CONSTRAINT "LoyaltyBalance_points_check" CHECK ("points" >= 0);
ALTER TABLE "LoyaltyProgram" ADD CONSTRAINT "LoyaltyProgram_rates_check" CHECK ("pointsPerUnit" >= 0 AND "unitValue" >= 0);

GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "LoyaltyProgram", "LoyaltyBalance", "LoyaltyTransaction" TO commerce_app;

-- Tenant isolation, as on every store table (see the init migration).
DO $$
DECLARE
    table_name text;
BEGIN
    FOREACH table_name IN ARRAY ARRAY['LoyaltyProgram', 'LoyaltyBalance', 'LoyaltyTransaction'] LOOP
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
